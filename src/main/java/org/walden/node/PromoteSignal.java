package org.walden.node;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.config.Config;
import org.walden.config.Settings;

/**
 * Notices a request to promote made through files, as PostgreSQL's startup process does on SIGUSR1:
 * the {@code promote} file {@code walden promote} writes into the data directory, and {@code
 * promote_trigger_file} when set. Both are removed when seen.
 *
 * <p>Thread: "walden-promote-signal", started by the node when a standby starts running, blocked in
 * a {@link WatchService} (inotify on Linux: no polling); ended by {@link #close} (at promotion or
 * shutdown), which closes the watch service. A {@code promote_trigger_file} changed by a reload is
 * watched from the next event on its directory (the data directory's events also wake it).
 */
final class PromoteSignal implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PromoteSignal.class);

  /** The file {@code walden promote} creates (PostgreSQL's {@code PROMOTE_SIGNAL_FILE}). */
  static final String FILE = "promote";

  private final Path dataDir;
  private final Supplier<Config> config;
  private final Runnable promote;
  private final WatchService watch;
  private Thread thread;

  PromoteSignal(Path dataDir, Supplier<Config> config, Runnable promote) throws IOException {
    this.dataDir = dataDir;
    this.config = config;
    this.promote = promote;
    this.watch = FileSystems.getDefault().newWatchService();
    dataDir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
    Path trigger = triggerFile();
    if (trigger != null && trigger.getParent() != null && !trigger.getParent().equals(dataDir)) {
      trigger.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
    }
  }

  void start() {
    thread = Thread.ofPlatform().name("walden-promote-signal").daemon().start(this::run);
  }

  private Path triggerFile() {
    String t = config.get().get(Settings.PROMOTE_TRIGGER_FILE);
    if (t.isBlank()) {
      return null;
    }
    Path p = Path.of(t);
    return p.isAbsolute() ? p : dataDir.resolve(p);
  }

  private void run() {
    try {
      while (true) {
        if (check()) {
          return;
        }
        WatchKey k = watch.take();
        for (WatchEvent<?> e : k.pollEvents()) {
          log.debug("promote signal watch: {} {}", e.kind(), e.context());
        }
        k.reset();
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed: promoted or shutting down
    }
  }

  /** Promotes if a signal file is there; true if it did. */
  private boolean check() {
    Path signal = dataDir.resolve(FILE);
    Path trigger = triggerFile();
    boolean bySignal = Files.exists(signal);
    boolean byTrigger = trigger != null && Files.exists(trigger);
    if (!bySignal && !byTrigger) {
      return false;
    }
    try {
      Files.deleteIfExists(signal);
      if (byTrigger) {
        log.info("promote trigger file found: {}", trigger);
        Files.deleteIfExists(trigger);
      }
    } catch (IOException e) {
      log.warn("could not remove promote signal file: {}", e.toString());
    }
    promote.run();
    return true;
  }

  @Override
  public void close() {
    try {
      watch.close();
    } catch (IOException e) {
      log.debug("closing the promote watch", e);
    }
  }
}
