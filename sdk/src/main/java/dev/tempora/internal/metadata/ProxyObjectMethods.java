package dev.tempora.internal.metadata;

import java.lang.reflect.Method;

/** {@code toString}/{@code hashCode}/{@code equals} of the stub proxies: identity semantics. */
public final class ProxyObjectMethods {
  private ProxyObjectMethods() {}

  public static Object invoke(Object proxy, Method method, Object[] args, String description) {
    return switch (method.getName()) {
      case "toString" -> description;
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      default -> throw new UnsupportedOperationException(method.getName());
    };
  }
}
