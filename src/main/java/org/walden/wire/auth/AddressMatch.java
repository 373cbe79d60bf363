package org.walden.wire.auth;

import java.net.InetAddress;

/** The address column of a {@code host*} hba rule. */
public sealed interface AddressMatch {

  /** Whether the client address matches, given the server's own interfaces. */
  boolean matches(InetAddress client, LocalInterfaces local);

  /** {@code all}: any address. */
  record All() implements AddressMatch {
    @Override
    public boolean matches(InetAddress client, LocalInterfaces local) {
      return true;
    }
  }

  /** {@code samehost}: any of the server's own addresses. */
  record SameHost() implements AddressMatch {
    @Override
    public boolean matches(InetAddress client, LocalInterfaces local) {
      return local.addresses().stream().anyMatch(a -> a.address().equals(client));
    }
  }

  /** {@code samenet}: any address in a subnet the server is directly connected to. */
  record SameNet() implements AddressMatch {
    @Override
    public boolean matches(InetAddress client, LocalInterfaces local) {
      return local.addresses().stream()
          .anyMatch(a -> Cidr.of(a.address(), a.prefixLength()).matches(client, local));
    }
  }

  /**
   * An address and a mask of the same family (from {@code a.b.c.d/n} or an address followed by a
   * mask column). Matches when {@code client & mask == network & mask}; an IPv4 rule never matches
   * an IPv6 client or vice versa.
   */
  record Cidr(byte[] network, byte[] mask) implements AddressMatch {
    static Cidr of(InetAddress network, int prefixLength) {
      byte[] addr = network.getAddress();
      byte[] mask = new byte[addr.length];
      for (int i = 0; i < mask.length; i++) {
        int bits = Math.max(0, Math.min(8, prefixLength - i * 8));
        mask[i] = (byte) (0xFF << (8 - bits));
      }
      return new Cidr(addr, mask);
    }

    @Override
    public boolean matches(InetAddress client, LocalInterfaces local) {
      byte[] c = client.getAddress();
      if (c.length != network.length) {
        return false;
      }
      for (int i = 0; i < c.length; i++) {
        if (((c[i] ^ network[i]) & mask[i]) != 0) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cidr x
          && java.util.Arrays.equals(network, x.network)
          && java.util.Arrays.equals(mask, x.mask);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(network);
    }

    @Override
    public String toString() {
      return "Cidr["
          + java.util.HexFormat.of().formatHex(network)
          + "/"
          + java.util.HexFormat.of().formatHex(mask)
          + "]";
    }
  }
}
