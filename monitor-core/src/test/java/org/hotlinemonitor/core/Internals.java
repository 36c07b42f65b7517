package org.hotlinemonitor.core;

import java.lang.reflect.Field;

/** Reads a private field of a speed structure for a test that measures its layout; the class keeps it private. */
public final class Internals {

    private Internals() {
    }

    /** Field {@code name} of {@code o} (static or not), read through reflection; a renamed field fails loudly. */
    @SuppressWarnings("unchecked")
    public static <T> T field(Object o, String name) {
        try {
            Field f = o.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return (T) f.get(o);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read " + o.getClass().getSimpleName() + "." + name, e);
        }
    }
}
