package org.walden.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.walden.sql.exec.ResultColumn;
import org.walden.wire.codec.FieldDescription;
import org.walden.wire.codec.MessageWriter;

/**
 * Writes result sets: RowDescription from the plan's columns and DataRows in the format the client
 * asked for per column (Bind's result format codes: none = all text, one = all columns, else one
 * per column). Stateless.
 */
final class ResultWriter {
  private ResultWriter() {}

  /** The format code of column {@code i} under the protocol's rule. */
  static short format(short[] formats, int i) {
    return switch (formats.length) {
      case 0 -> 0;
      case 1 -> formats[0];
      default -> i < formats.length ? formats[i] : 0;
    };
  }

  static void rowDescription(MessageWriter w, List<ResultColumn> columns, short[] formats)
      throws IOException {
    List<FieldDescription> fields = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      ResultColumn c = columns.get(i);
      fields.add(
          new FieldDescription(
              c.name(),
              c.tableOid(),
              c.attnum(),
              c.typeOid(),
              c.typlen(),
              c.typmod(),
              format(formats, i)));
    }
    w.rowDescription(fields);
  }

  /**
   * Writes one DataRow. Every value is encoded before the message opens, so an encoding error (a
   * client error) never leaves a half-written message behind. {@code scratch} is reused between
   * rows of one result to spare an allocation per row; its length must be at least the column
   * count.
   */
  static void dataRow(
      MessageWriter w,
      Object[] row,
      List<ResultColumn> columns,
      short[] formats,
      WireValues values,
      byte[][] scratch)
      throws IOException {
    int n = columns.size();
    for (int i = 0; i < n; i++) {
      Object v = row[i];
      int oid = columns.get(i).typeOid();
      scratch[i] =
          v == null
              ? null
              : format(formats, i) == 1 ? values.encodeBinary(v, oid) : values.encodeText(v, oid);
    }
    w.beginDataRow(n);
    for (int i = 0; i < n; i++) {
      if (scratch[i] == null) {
        w.nullColumn();
      } else {
        w.column(scratch[i]);
      }
      scratch[i] = null;
    }
    w.end();
  }
}
