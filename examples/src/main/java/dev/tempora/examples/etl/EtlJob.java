package dev.tempora.examples.etl;

/** Copy the rows of {@code source} into {@code target}, transformed. */
public record EtlJob(String jobId, String source, String target) {}
