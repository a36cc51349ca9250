package dev.tempora.internal.replay;

import dev.tempora.client.WorkflowExecution;
import dev.tempora.internal.metadata.ProxyObjectMethods;
import dev.tempora.internal.metadata.WorkflowInterfaceMetadata;
import dev.tempora.workflow.ChildWorkflowOptions;
import dev.tempora.workflow.Promise;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Typed stubs of other workflows for workflow code: a child stub (its workflow method starts the
 * child and waits, its signal methods signal the started child) and an external stub (signal
 * methods only).
 */
public final class WorkflowStubs {
  private WorkflowStubs() {}

  private record ChildHandler(Class<?> iface, ChildWorkflowStubImpl stub, WorkflowInterfaceMetadata md)
      implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      if (method.getDeclaringClass() == Object.class) {
        return ProxyObjectMethods.invoke(proxy, method, args, "ChildWorkflowStub<" + iface.getSimpleName() + ">");
      }
      if (method.equals(md.workflowMethod())) {
        return stub.start(method.getGenericReturnType(), args).get();
      }
      String signal = signalName(md, method);
      if (signal != null) {
        stub.signal(signal, args);
        return null;
      }
      throw new UnsupportedOperationException("a child workflow stub calls only the workflow method and signal methods, not "
          + method.getName());
    }
  }

  private record ExternalHandler(Class<?> iface, ExternalWorkflowStubImpl stub, WorkflowInterfaceMetadata md)
      implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      if (method.getDeclaringClass() == Object.class) {
        return ProxyObjectMethods.invoke(proxy, method, args, "ExternalWorkflowStub<" + iface.getSimpleName() + ">");
      }
      String signal = signalName(md, method);
      if (signal == null) {
        throw new UnsupportedOperationException("an external workflow stub calls only signal methods, not "
            + method.getName());
      }
      stub.signal(signal, args);
      return null;
    }
  }

  private static String signalName(WorkflowInterfaceMetadata md, Method method) {
    for (var e : md.signals().entrySet()) {
      if (e.getValue().equals(method)) {
        return e.getKey();
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  public static <T> T newChildStub(Class<T> iface, ChildWorkflowOptions options) {
    WorkflowInterfaceMetadata md = WorkflowInterfaceMetadata.ofInterface(iface);
    ChildWorkflowStubImpl stub = new ChildWorkflowStubImpl(md.workflowType(), options);
    return (T) Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, new ChildHandler(iface, stub, md));
  }

  @SuppressWarnings("unchecked")
  public static <T> T newExternalStub(Class<T> iface, WorkflowExecution execution) {
    WorkflowInterfaceMetadata md = WorkflowInterfaceMetadata.ofInterface(iface);
    ExternalWorkflowStubImpl stub = new ExternalWorkflowStubImpl(execution);
    return (T) Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
        new ExternalHandler(iface, stub, md));
  }

  /** {@code Workflow.getWorkflowExecution}: the execution of a child (typed or untyped) or external stub. */
  public static Promise<WorkflowExecution> execution(Object stub) {
    Object s = stub;
    if (Proxy.isProxyClass(stub.getClass())) {
      InvocationHandler h = Proxy.getInvocationHandler(stub);
      if (h instanceof ChildHandler c) {
        s = c.stub();
      } else if (h instanceof ExternalHandler e) {
        s = e.stub();
      }
    }
    if (s instanceof ChildWorkflowStubImpl c) {
      return c.getExecution();
    }
    if (s instanceof ExternalWorkflowStubImpl e) {
      PromiseImpl<WorkflowExecution> p = new PromiseImpl<>();
      p.complete(e.getExecution());
      return p;
    }
    throw new IllegalArgumentException("not a child or external workflow stub: " + stub);
  }
}
