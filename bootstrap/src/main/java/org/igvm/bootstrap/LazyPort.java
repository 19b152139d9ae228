package org.igvm.bootstrap;

import com.google.inject.Provider;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A port whose implementation is created on its first call. Commands that only read the inventory
 * ({@code inventory show}, {@code query}) then never load libvirt's JNA binding nor the SSH
 * client: building those was most of their start-up.
 */
final class LazyPort<T> implements InvocationHandler {
    private final Class<T> port;
    private final Provider<? extends T> provider;
    private volatile T target;

    private LazyPort(Class<T> port, Provider<? extends T> provider) {
        this.port = port;
        this.provider = provider;
    }

    static <T> T of(Class<T> port, Provider<? extends T> provider) {
        return port.cast(
                Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, new LazyPort<>(port, provider)));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == arguments[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "lazy " + port.getSimpleName() + (target == null ? "" : " of " + target);
            };
        }
        try {
            return method.invoke(target(), arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private T target() {
        T created = target;
        if (created == null) {
            synchronized (this) {
                created = target;
                if (created == null) {
                    created = provider.get();
                    target = created;
                }
            }
        }
        return created;
    }
}
