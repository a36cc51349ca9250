package dev.tempora.devserver;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple with an MDC that keeps its values (slf4j-simple's own does nothing), so the
 * interceptor tests can check what an interceptor put in the MDC; chosen by the tests' {@code
 * slf4j.provider} system property. Deployments bring their own binding (Log4j 2, Logback).
 */
public class MdcSimpleServiceProvider extends SimpleServiceProvider {
  private final MDCAdapter mdc = new BasicMDCAdapter();

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }
}
