package dev.tempora.examples.etl;

/** How many rows a job read and wrote. */
public record EtlReport(String jobId, int extracted, int loaded) {}
