package dev.tempora.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** PNG charts for the report, drawn with XChart (headless). */
public final class Charts {
  private static final int WIDTH = 800;
  private static final int HEIGHT = 450;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** Grouped bars: one group per category, one bar per series (each series has one value per category). */
  public static Path bars(Path file, String title, String yTitle, List<String> categories,
      Map<String, List<Double>> series) {
    CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle).build();
    style(c.getStyler());
    c.getStyler().setLabelsVisible(true);
    c.getStyler().setLabelsRotation(0);
    c.getStyler().setDecimalPattern("#,###.##");
    series.forEach((name, values) -> c.addSeries(name, categories, values));
    return save(c, file);
  }

  /** Lines over a numeric x axis (log scale when {@code logX}). */
  public static Path lines(Path file, String title, String xTitle, String yTitle, boolean logX,
      Map<String, double[][]> series) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
        .build();
    style(c.getStyler());
    c.getStyler().setXAxisLogarithmic(logX);
    c.getStyler().setYAxisMin(0.0);
    series.forEach((name, xy) -> c.addSeries(name, xy[0], xy[1]));
    return save(c, file);
  }

  private static void style(Styler s) {
    s.setLegendPosition(Styler.LegendPosition.InsideNW);
    s.setChartBackgroundColor(java.awt.Color.WHITE);
  }

  private static Path save(Chart<?, ?> chart, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
      // XChart appends the extension itself when it is missing; the name passed already has it.
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write chart " + file, e);
    }
  }
}
