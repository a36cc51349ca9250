/**
 * How values become payloads and back, in the shape of Temporal's {@code
 * io.temporal.common.converter} and {@code io.temporal.payload.codec}: a {@link
 * dev.tempora.converter.DataConverter} made of {@link dev.tempora.converter.PayloadConverter}s
 * (Jackson by default, one per encoding), and a {@link dev.tempora.converter.CodecDataConverter}
 * that runs {@link dev.tempora.converter.PayloadCodec}s (compression, encryption) over every
 * payload it makes. Configure it with {@code WorkflowClientOptions.setDataConverter} (the
 * in-memory test environment) and {@code Worker.setDataConverter} (the AWS runtime).
 */
package dev.tempora.converter;
