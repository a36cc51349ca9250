package dev.tempora.bench;

/**
 * How big a suite run is. SMOKE is for the test that checks each benchmark starts and produces a
 * result (seconds); DEFAULT runs the whole suite in a few minutes; FULL uses the sizes the issue
 * names (N = 200/1,000/5,000 workflows, 30,000-event replays, 10,000 waiting workflows).
 */
public enum BenchSize {
  SMOKE, DEFAULT, FULL
}
