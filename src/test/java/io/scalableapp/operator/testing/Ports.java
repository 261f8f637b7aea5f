package io.scalableapp.operator.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/** Wraps a cloud-port interface so a test fixture can answer or watch some of its calls. */
final class Ports {
  /** What a {@link Handler} returns to let the call through to the real port. */
  static final Object PASS = new Object();

  /** Answers a call ({@code method} is the port method's name), or returns {@link #PASS}. */
  interface Handler {
    Object handle(String method, Object[] args) throws Throwable;
  }

  private Ports() {}

  static <T> T intercept(Class<T> port, T target, Handler handler) {
    return port.cast(
        Proxy.newProxyInstance(
            port.getClassLoader(),
            new Class<?>[] {port},
            (proxy, method, args) -> {
              Object result = handler.handle(method.getName(), args);
              if (result != PASS) {
                return result;
              }
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }));
  }
}
