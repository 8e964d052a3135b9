package io.stemcache.core.ops;

import com.hazelcast.map.MapInterceptor;

/** A map interceptor that acts on writes only: reads and removals pass through untouched. */
public abstract class PutInterceptor implements MapInterceptor {

    private static final long serialVersionUID = 1L;

    @Override
    public final Object interceptGet(Object value) {
        return null;
    }

    @Override
    public final void afterGet(Object value) {
        // reads pass through
    }

    @Override
    public void afterPut(Object value) {
        // the write was handled in interceptPut
    }

    @Override
    public final Object interceptRemove(Object removedValue) {
        return null;
    }

    @Override
    public final void afterRemove(Object value) {
        // removals pass through
    }
}
