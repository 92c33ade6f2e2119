package io.restorepoint.engine.dump;

import io.r2dbc.spi.Readable;
import io.restorepoint.engine.artifact.ArtifactFormat;
import io.restorepoint.engine.artifact.ArtifactWriter;
import io.restorepoint.engine.artifact.FileSink;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.schema.ColumnInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Writes the rows of one task into chunk files: a key range into one file, a whole table into files of
 * at most {@code rowsPerChunk} rows. Files are only created when there is a row to write.
 */
final class TableFileWriter {

    private final ArtifactWriter artifact;
    private final String table;
    private final InsertEncoder encoder;
    private final long rowsPerFile;
    private final IntSupplier nextFileIndex;
    private final String range;
    private final LongAdder progress;
    private final List<Manifest.Chunk> chunks = new ArrayList<>();
    private FileSink sink;
    private String file;
    private long rowsInFile;
    private long rows;

    TableFileWriter(ArtifactWriter artifact, String table, List<ColumnInfo> columns, DumpOptions options,
            long rowsPerFile, IntSupplier nextFileIndex, String range, LongAdder progress) {
        this.artifact = artifact;
        this.table = table;
        this.encoder = new InsertEncoder(table, columns, options.rowsPerStatement(), options.bytesPerStatement());
        this.rowsPerFile = rowsPerFile;
        this.nextFileIndex = nextFileIndex;
        this.range = range;
        this.progress = progress;
    }

    void row(Readable row) {
        try {
            if (sink == null) {
                file = ArtifactFormat.chunkFile(table, nextFileIndex.getAsInt());
                sink = artifact.createCompressed(file);
            }
            encoder.row(row, sink);
            rowsInFile++;
            rows++;
            progress.increment();
            if (rowsInFile >= rowsPerFile) {
                closeFile();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing table " + table, e);
        }
    }

    List<Manifest.Chunk> finish() throws IOException {
        closeFile();
        return List.copyOf(chunks);
    }

    long rows() {
        return rows;
    }

    /** The rows' checksum ({@link InsertEncoder#checksum()}). */
    long checksum() {
        return encoder.checksum();
    }

    /** Closes the open file, if any, whether or not the dump succeeded. */
    void abandon() {
        if (sink != null) {
            try {
                sink.close();
            } catch (IOException ignored) {
                // the partial artifact is discarded anyway
            }
            sink = null;
        }
    }

    private void closeFile() throws IOException {
        if (sink == null) {
            return;
        }
        encoder.finish(sink);
        sink.close();
        chunks.add(new Manifest.Chunk(file, rowsInFile, sink.bytes(), sink.sha256(), range));
        sink = null;
        rowsInFile = 0;
    }
}
