package io.scalableapp.operator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP link to a server (the Kubernetes API) that can be cut: {@link #cut()} drops every open
 * connection (watches included) and refuses new ones, {@link #restore()} listens again on the same
 * port. What a controller meets when the API server restarts or the network to it fails.
 */
public final class CuttableLink implements AutoCloseable {
  private final InetSocketAddress target;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket listening;

  /** A link to the host and port of {@code url}. */
  public CuttableLink(URI url) {
    this.target = new InetSocketAddress(url.getHost(), url.getPort());
    this.listening = listen(0);
    this.port = listening.getLocalPort();
  }

  /** {@code url} with its host and port replaced by the link's. */
  public String through(URI url) {
    return url.getScheme()
        + "://127.0.0.1:"
        + port
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  public synchronized void cut() {
    closeQuietly(listening);
    listening = null;
    open.forEach(CuttableLink::closeQuietly);
    open.clear();
  }

  public synchronized void restore() {
    if (listening == null) {
      listening = listen(port);
    }
  }

  private ServerSocket listen(int onPort) {
    for (int attempt = 0; ; attempt++) {
      try {
        var server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), onPort), 50);
        daemon("link-accept", () -> accept(server));
        return server;
      } catch (BindException e) {
        if (attempt > 50) {
          throw new UncheckedIOException(e);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(interrupted);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void accept(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(target.getAddress(), target.getPort());
        open.add(client);
        open.add(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        // Cut, or the target refused: the caller sees a dropped connection.
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    daemon(
        "link-pipe",
        () -> {
          try (InputStream in = from.getInputStream();
              OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
          } catch (IOException e) {
            // Either side closed.
          } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
          }
        });
  }

  private static void daemon(String name, Runnable body) {
    var t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        // Already closed.
      }
    }
  }

  @Override
  public void close() {
    cut();
  }
}
