package org.igvm.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sees every TCP connection this JVM opens through {@link java.net.Socket} (sshj, JDBC, HTTP all
 * do) and turns each one to an address outside loopback into a connection to a closed loopback
 * port, so a test can assert that igvm reached for nothing outside while nothing actually leaves.
 */
final class NetworkGuard implements AutoCloseable {
    private static final Proxy DEAD_END = new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", 1));

    private final ProxySelector previous = ProxySelector.getDefault();
    private final List<String> outside = new ArrayList<>();

    NetworkGuard() {
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                String host = uri.getHost();
                if (host != null && !isLoopback(host)) {
                    synchronized (outside) {
                        outside.add(host + ":" + uri.getPort());
                    }
                    return List.of(DEAD_END);
                }
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {}
        });
    }

    /** The addresses outside loopback that something tried to reach, in order. */
    List<String> outsideAttempts() {
        synchronized (outside) {
            return List.copyOf(outside);
        }
    }

    private static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        try {
            // Literal addresses only: a name is not resolved here (that would itself be a lookup).
            return host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")
                    && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void close() {
        ProxySelector.setDefault(previous);
    }
}
