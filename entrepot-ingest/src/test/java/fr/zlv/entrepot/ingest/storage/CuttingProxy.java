package fr.zlv.entrepot.ingest.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay between a client and a real server that spoils the first large responses (or requests): it
 * drops the connection in the middle of them, or flips a byte of their body. Network faults, so the client's retries
 * and checks are tested against the real server.
 */
final class CuttingProxy implements AutoCloseable {

    /** What to do to a response once it passes the threshold. */
    enum Fault { CUT, CORRUPT }

    private final ServerSocket server;
    private final URI upstream;
    private final long cutAfterBytes;
    private final Fault fault;
    private final AtomicInteger cutsLeft;
    private final boolean requests;
    final AtomicInteger cuts = new AtomicInteger();

    CuttingProxy(URI upstream, long cutAfterBytes, int cuts) throws IOException {
        this(upstream, cutAfterBytes, cuts, Fault.CUT);
    }

    CuttingProxy(URI upstream, long cutAfterBytes, int cuts, Fault fault) throws IOException {
        this(upstream, cutAfterBytes, cuts, fault, false);
    }

    /** @param requests spoil what the client sends (an upload) rather than what the server answers */
    CuttingProxy(URI upstream, long cutAfterBytes, int cuts, Fault fault, boolean requests) throws IOException {
        this.requests = requests;
        this.server = new ServerSocket(0);
        this.upstream = upstream;
        this.cutAfterBytes = cutAfterBytes;
        this.fault = fault;
        this.cutsLeft = new AtomicInteger(cuts);
        Thread acceptor = new Thread(this::accept, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(upstream.getHost(), upstream.getPort());
                pump(client.getInputStream(), target.getOutputStream(), requests ? cutAfterBytes : Long.MAX_VALUE,
                        client, target);
                pump(target.getInputStream(), client.getOutputStream(), requests ? Long.MAX_VALUE : cutAfterBytes,
                        client, target);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(InputStream in, OutputStream out, long limit, Socket a, Socket b) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            long sent = 0;
            try {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (limit != Long.MAX_VALUE && sent <= limit && sent + read > limit && cutsLeft.getAndDecrement() > 0) {
                        cuts.incrementAndGet();
                        if (fault == Fault.CUT) {
                            out.write(buffer, 0, (int) Math.max(0, limit - sent));
                            out.flush();
                            a.close();
                            b.close();
                            return;
                        }
                        buffer[(int) (limit - sent)] ^= 0x5A;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                    sent += read;
                }
            } catch (IOException ignored) {
                // One side went away: the other follows.
            }
            try {
                a.close();
                b.close();
            } catch (IOException ignored) {
                // Already closed.
            }
        }, "cutting-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
