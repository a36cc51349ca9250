package dev.tempora.internal.client;

import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowStub;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.metadata.ProxyObjectMethods;
import dev.tempora.internal.metadata.WorkflowInterfaceMetadata;
import dev.tempora.workflow.Functions;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Typed workflow stubs: proxies of the workflow interface over an untyped stub. Inside
 * {@code WorkflowClient.start(stub::method, args)} the workflow method starts without waiting;
 * called directly, it starts the run unless the stub is bound to one already, then waits for it.
 */
public final class TypedStubs {
  private static final ThreadLocal<WorkflowExecution[]> START_CAPTURE = new ThreadLocal<>();

  private TypedStubs() {}

  private record Handler(WorkflowStubImpl stub, WorkflowInterfaceMetadata metadata) implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      if (method.getDeclaringClass() == Object.class) {
        return ProxyObjectMethods.invoke(proxy, method, args, "WorkflowStub<" + metadata.workflowType() + ">");
      }
      Object[] a = args == null ? new Object[0] : args;
      String name = metadata.namesByMethod().get(method);
      if (method.equals(metadata.workflowMethod())) {
        WorkflowExecution[] capture = START_CAPTURE.get();
        if (capture != null) {
          capture[0] = stub.start(a);
          return DataConverter.defaultValue(method.getReturnType());
        }
        // As Temporal: a stub bound to a run (made with an id, or started by WorkflowClient.start)
        // waits for that run's result; only a stub made with options and not yet started starts.
        if (!stub.isBound()) {
          stub.start(a);
        }
        return stub.getResult(method.getGenericReturnType());
      }
      if (metadata.signals().containsKey(name) && metadata.signals().get(name).equals(method)) {
        stub.signal(name, a);
        return null;
      }
      if (metadata.updates().containsKey(name) && metadata.updates().get(name).equals(method)) {
        return stub.updateTyped(name, method.getGenericReturnType(), a);
      }
      return stub.queryTyped(name, method.getGenericReturnType(), a);
    }
  }

  @SuppressWarnings("unchecked")
  static <T> T newStub(Class<T> iface, WorkflowStubImpl stub) {
    WorkflowInterfaceMetadata md = WorkflowInterfaceMetadata.ofInterface(iface);
    return (T) Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, new Handler(stub, md));
  }

  public static WorkflowStub untyped(Object typedStub) {
    if (typedStub != null && Proxy.isProxyClass(typedStub.getClass())
        && Proxy.getInvocationHandler(typedStub) instanceof Handler h) {
      return h.stub();
    }
    throw new IllegalArgumentException("not a typed workflow stub made by WorkflowClient.newWorkflowStub: " + typedStub);
  }

  public static <R> WorkflowExecution startAsync(Functions.Func<R> workflowMethod) {
    WorkflowExecution[] capture = new WorkflowExecution[1];
    START_CAPTURE.set(capture);
    try {
      workflowMethod.apply();
    } finally {
      START_CAPTURE.remove();
    }
    if (capture[0] == null) {
      throw new IllegalArgumentException("WorkflowClient.start needs a call of a typed stub's @WorkflowMethod, "
          + "e.g. WorkflowClient.start(stub::run, arg)");
    }
    return capture[0];
  }
}
