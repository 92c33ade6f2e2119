package io.restorepoint.sync.socketio;

import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.messages.PacketsMessage;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.nio.charset.StandardCharsets;

/**
 * Two fixes in front of netty-socketio's packet handler, for Engine.IO 4 clients:
 * <ul>
 *   <li>a Socket.IO CONNECT without auth payload ({@code 40}, what a stock client without {@code auth} sends) gets
 *       an empty one ({@code 40{}}), so that the auth listener runs and refuses it with a connect error:
 *       netty-socketio only calls its auth listeners when the payload is present, and accepts the connection
 *       otherwise;</li>
 *   <li>an Engine.IO close sent over long-polling first answers the client's pending poll with a noop:
 *       netty-socketio drops the session without answering it, which leaves that request (and its
 *       connection) hanging.</li>
 * </ul>
 */
@ChannelHandler.Sharable
final class ProtocolFixes extends ChannelInboundHandlerAdapter {

    static final String NAME = "restorepointProtocolFixes";

    /** Engine.IO v4 polling payloads separate packets with the record separator. */
    private static final String SEPARATOR = "\u001e";
    /** A CONNECT without payload or a close is a few bytes (plus a namespace): longer payloads are not read. */
    private static final int MAX_INSPECTED = 4096;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof PacketsMessage message && message.getClient().getEngineIOVersion() == EngineIOVersion.V4) {
            ByteBuf content = message.getContent();
            int length = content.readableBytes();
            byte first = length == 0 ? 0 : content.getByte(content.readerIndex());
            if (length <= MAX_INSPECTED && (first == '4' || first == '1')) {
                String text = content.toString(StandardCharsets.UTF_8);
                String fixed = withAuthPayloads(text);
                if (!fixed.equals(text)) {
                    msg = new PacketsMessage(message.getClient(), Unpooled.copiedBuffer(fixed, StandardCharsets.UTF_8),
                            message.getTransport());
                }
                if (message.getTransport() == Transport.POLLING && closes(text)) {
                    ClientHead client = message.getClient();
                    client.send(new Packet(PacketType.NOOP, client.getEngineIOVersion()), Transport.POLLING);
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** {@code 40} → {@code 40{}}, {@code 40/nsp,} → {@code 40/nsp,{}}; every other packet unchanged. */
    static String withAuthPayloads(String payload) {
        String[] packets = payload.split(SEPARATOR, -1);
        boolean changed = false;
        for (int i = 0; i < packets.length; i++) {
            String packet = packets[i];
            if (packet.startsWith("40") && packet.indexOf('{') < 0) {
                packets[i] = packet.equals("40") ? "40{}" : packet.endsWith(",") ? packet + "{}" : packet + ",{}";
                changed = true;
            }
        }
        return changed ? String.join(SEPARATOR, packets) : payload;
    }

    /** Whether the payload holds an Engine.IO close packet ({@code 1}). */
    static boolean closes(String payload) {
        for (String packet : payload.split(SEPARATOR, -1)) {
            if (packet.equals("1")) {
                return true;
            }
        }
        return false;
    }
}
