package org.walden.node;

import java.io.IOException;
import java.nio.file.Path;
import org.walden.fs.DurableFiles;
import org.walden.storage.checkpoint.SnapshotStore;
import org.walden.storage.snapshot.SnapshotWriter;
import org.walden.storage.txn.CheckpointPoint;
import org.walden.storage.txn.TransactionManager;
import org.walden.wal.Xid;

/** The checkpointer's view of the table store. Stateless adapter. */
final class StoreSnapshots implements SnapshotStore {

  private final TransactionManager store;
  private final DurableFiles durable;

  StoreSnapshots(TransactionManager store, DurableFiles durable) {
    this.store = store;
    this.durable = durable;
  }

  @Override
  public Point checkpointPoint() {
    CheckpointPoint p = store.checkpointPoint();
    return new Point(p.consistentAt(), p.redo(), p);
  }

  @Override
  public void writeSnapshot(Point point, Path file) throws IOException {
    SnapshotWriter.write(store, (CheckpointPoint) point.hold(), file, durable);
  }

  @Override
  public Xid nextXid() {
    return store.nextXid();
  }
}
