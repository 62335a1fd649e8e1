package dev.livestack.inlinepackager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a folder zip by hand because {@code java.util.zip.ZipOutputStream} cannot record Unix permissions, and
 * Lambda needs the executable bit of files such as a custom runtime's {@code bootstrap} (the CDK CLI's zips carry
 * each file's mode). Every entry: deflated, the fixed time 1980-01-01 00:00:02 (MS-DOS fields), no extra fields,
 * "made by" Unix with mode {@code 0100755} (executable) or {@code 0100644}. No Zip64: Lambda's 250 MB unzipped limit
 * keeps packages far below 4 GB and 65,535 entries, so either is refused.
 */
final class FolderZipWriter {
    private static final int DOS_TIME = 1; // 00:00:02 (two-second units)
    private static final int DOS_DATE = (1 << 5) | 1; // 1980-01-01
    private static final int VERSION = 20;
    private static final int MADE_BY_UNIX = (3 << 8) | VERSION;
    private static final int UTF8_FLAG = 0x0800;

    private record Central(byte[] name, int flags, long crc, long compressed, long size, int mode, long offset) {
    }

    private FolderZipWriter() {
    }

    static void write(Path folder, List<String> names, OutputStream sink) throws IOException {
        if (names.size() > 0xFFFF) {
            throw new IOException(names.size() + " files are more than a zip without Zip64 holds (65,535)");
        }
        Counting out = new Counting(sink);
        List<Central> central = new ArrayList<>();
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            byte[] buf = new byte[64 * 1024];
            for (String n : names) {
                Path file = folder.resolve(n);
                byte[] data = Files.readAllBytes(file);
                CRC32 crc = new CRC32();
                crc.update(data);
                deflater.reset();
                deflater.setInput(data);
                deflater.finish();
                ByteArrayOutputStream compressed = new ByteArrayOutputStream(Math.max(64, data.length / 2));
                while (!deflater.finished()) {
                    int k = deflater.deflate(buf);
                    compressed.write(buf, 0, k);
                }
                if (out.count > 0xFFFFFFFFL || compressed.size() > 0xFFFFFFFFL) {
                    throw new IOException("the zip grows past 4 GB, more than a zip without Zip64 holds");
                }
                byte[] name = n.getBytes(StandardCharsets.UTF_8);
                int flags = isAscii(n) ? 0 : UTF8_FLAG;
                Central c = new Central(name, flags, crc.getValue(), compressed.size(), data.length, mode(file), out.count);
                central.add(c);
                u32(out, 0x04034b50);
                u16(out, VERSION);
                entryFields(out, c);
                u16(out, 0); // extra
                out.write(name);
                compressed.writeTo(out);
            }
        } finally {
            deflater.end();
        }
        long cdStart = out.count;
        for (Central c : central) {
            u32(out, 0x02014b50);
            u16(out, MADE_BY_UNIX);
            u16(out, VERSION);
            entryFields(out, c);
            u16(out, 0); // extra
            u16(out, 0); // comment
            u16(out, 0); // disk
            u16(out, 0); // internal attributes
            u32(out, ((long) c.mode()) << 16);
            u32(out, c.offset());
            out.write(c.name());
        }
        long cdSize = out.count - cdStart;
        if (cdStart > 0xFFFFFFFFL) {
            throw new IOException("the zip grows past 4 GB, more than a zip without Zip64 holds");
        }
        u32(out, 0x06054b50);
        u16(out, 0);
        u16(out, 0);
        u16(out, central.size());
        u16(out, central.size());
        u32(out, cdSize);
        u32(out, cdStart);
        u16(out, 0);
        out.flush();
    }

    /**
     * The fields the local header and the central directory record share, in their order: flags,
     * method, DOS time and date, CRC-32, compressed and uncompressed size, name length.
     */
    private static void entryFields(OutputStream out, Central c) throws IOException {
        u16(out, c.flags());
        u16(out, Deflater.DEFLATED);
        u16(out, DOS_TIME);
        u16(out, DOS_DATE);
        u32(out, c.crc());
        u32(out, c.compressed());
        u32(out, c.size());
        u16(out, c.name().length);
    }

    /** {@code S_IFREG} with 0755 when the owner may execute the file, else 0644. */
    static int mode(Path file) throws IOException {
        boolean exec;
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) {
            exec = posix.readAttributes().permissions().contains(PosixFilePermission.OWNER_EXECUTE);
        } else {
            exec = Files.isExecutable(file);
        }
        return 0100000 | (exec ? 0755 : 0644);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static void u16(OutputStream out, int v) throws IOException {
        out.write(v & 0xFF);
        out.write((v >>> 8) & 0xFF);
    }

    private static void u32(OutputStream out, long v) throws IOException {
        out.write((int) (v & 0xFF));
        out.write((int) ((v >>> 8) & 0xFF));
        out.write((int) ((v >>> 16) & 0xFF));
        out.write((int) ((v >>> 24) & 0xFF));
    }

    /** Counts bytes for the offsets; passes everything on (its close does not close the caller's stream). */
    private static final class Counting extends OutputStream {
        private final OutputStream out;
        long count;

        Counting(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}
