package org.walden.wire.auth;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The server's own addresses and prefix lengths, for {@code samehost}/{@code samenet} rules.
 * Injectable so tests do not depend on the machine's interfaces.
 */
public interface LocalInterfaces {

  record InterfaceAddr(InetAddress address, int prefixLength) {}

  List<InterfaceAddr> addresses();

  /** The machine's interfaces, read at each call (interfaces come and go). */
  LocalInterfaces SYSTEM =
      () -> {
        List<InterfaceAddr> out = new ArrayList<>();
        try {
          for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
              out.add(new InterfaceAddr(ia.getAddress(), ia.getNetworkPrefixLength()));
            }
          }
        } catch (SocketException e) {
          // no interface list: samehost/samenet simply match nothing
          return List.of();
        }
        return out;
      };
}
