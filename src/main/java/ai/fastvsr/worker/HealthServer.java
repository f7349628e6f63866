package ai.fastvsr.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} on the JDK's built-in HTTP server: three tiny
 * endpoints do not justify a web framework in every worker.
 */
final class HealthServer implements AutoCloseable {
    /** Null when ready, else why not (shown in the 503 body). */
    interface Readiness extends Supplier<String> {}

    private final HttpServer server;

    HealthServer(int port, Readiness readiness, PrometheusMeterRegistry registry) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 16);
        server.createContext("/health/live", ex -> respond(ex, 200, "text/plain", "UP\n"));
        server.createContext("/health/ready", ex -> {
            String notReady = readiness.get();
            respond(ex, notReady == null ? 200 : 503, "text/plain", notReady == null ? "READY\n" : notReady + "\n");
        });
        server.createContext(
                "/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "health-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
