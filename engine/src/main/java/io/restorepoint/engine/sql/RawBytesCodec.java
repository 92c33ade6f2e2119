package io.restorepoint.engine.sql;

import io.asyncer.r2dbc.mysql.MySqlParameter;
import io.asyncer.r2dbc.mysql.api.MySqlReadableMetadata;
import io.asyncer.r2dbc.mysql.codec.Codec;
import io.asyncer.r2dbc.mysql.codec.CodecContext;
import io.asyncer.r2dbc.mysql.codec.CodecRegistry;
import io.asyncer.r2dbc.mysql.extension.CodecRegistrar;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * r2dbc-mysql codec that hands out {@link RawBytes} for any column of a text-protocol result
 * ({@code row.get(i, RawBytes.class)}). Registered with {@link #extension()}.
 */
public final class RawBytesCodec implements Codec<RawBytes> {

    private static final RawBytesCodec INSTANCE = new RawBytesCodec();

    /** The r2dbc-mysql extension that registers this codec ahead of the built-in ones. */
    public static CodecRegistrar extension() {
        return (ByteBufAllocator allocator, CodecRegistry registry) -> registry.addFirst(INSTANCE);
    }

    @Override
    public RawBytes decode(ByteBuf value, MySqlReadableMetadata metadata, Class<?> target, boolean binary,
            CodecContext context) {
        if (binary) {
            throw new IllegalStateException("RawBytes needs a text-protocol result (a statement without bind parameters)");
        }
        return new RawBytes(ByteBufUtil.getBytes(value));
    }

    @Override
    public boolean canDecode(MySqlReadableMetadata metadata, Class<?> target) {
        return target == RawBytes.class;
    }

    @Override
    public boolean canEncode(Object value) {
        return false;
    }

    @Override
    public MySqlParameter encode(Object value, CodecContext context) {
        throw new UnsupportedOperationException("RawBytes is read-only");
    }

    @Override
    public Class<? extends RawBytes> getMainClass() {
        return RawBytes.class;
    }
}
