package io.turbovbi.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.GrayPaintScale;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's charts, drawn with JFreeChart and encoded as PNG data URIs. */
public final class Charts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** One line per series: x values and y values. */
  public record Series(String name, double[] x, double[] y) {}

  public static String lines(String title, String xLabel, String yLabel, List<Series> series, int width,
                             int height) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Series s : series) {
      XYSeries line = new XYSeries(s.name());
      for (int i = 0; i < s.x().length; i++) {
        if (Double.isFinite(s.y()[i])) {
          line.add(s.x()[i], s.y()[i]);
        }
      }
      data.addSeries(line);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
        false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    return png(chart, width, height);
  }

  /** Grouped bars: one group per category, one bar per series. */
  public static String bars(String title, String yLabel, Map<String, Map<String, Double>> valuesBySeries,
                            int width, int height) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    valuesBySeries.forEach((series, values) -> values.forEach((category, value) -> data.addValue(value, series,
        category)));
    JFreeChart chart = ChartFactory.createBarChart(title, null, yLabel, data, PlotOrientation.VERTICAL, true, false,
        false);
    chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
    chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    return png(chart, width, height);
  }

  /**
   * A heat map of a rows x cols matrix (row-major values), row 0 at the top; values are clipped to [low, high].
   * Matrices of more than 250,000 cells are shown by the largest value of each block, so that isolated weights
   * stay visible.
   */
  public static String heatMap(String title, double[] values, int rows, int cols, double low, double high,
                               String scaleLabel, int width) {
    int maxCells = 250_000;
    int step = 1;
    while ((long) (rows / step) * (cols / step) > maxCells) {
      step++;
    }
    int r = (rows + step - 1) / step;
    int c = (cols + step - 1) / step;
    double[] x = new double[r * c];
    double[] y = new double[r * c];
    double[] z = new double[r * c];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        double largest = Double.NEGATIVE_INFINITY;
        for (int a = i * step; a < Math.min(rows, (i + 1) * step); a++) {
          for (int b = j * step; b < Math.min(cols, (j + 1) * step); b++) {
            largest = Math.max(largest, values[a * cols + b]);
          }
        }
        int cell = i * c + j;
        x[cell] = j;
        y[cell] = r - 1 - i;
        z[cell] = Math.max(low, Math.min(high, largest));
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("values", new double[][] {x, y, z});
    NumberAxis xAxis = new NumberAxis(step == 1 ? "input" : "input (blocks of " + step + ")");
    NumberAxis yAxis = new NumberAxis(step == 1 ? "output (row 0 at the top)" : "output (blocks of " + step + ")");
    xAxis.setVisible(false);
    yAxis.setVisible(false);
    XYBlockRenderer renderer = new XYBlockRenderer();
    PaintScale scale = heat(low, high);
    renderer.setPaintScale(scale);
    XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    xAxis.setRange(-0.5, c - 0.5);
    yAxis.setRange(-0.5, r - 0.5);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    PaintScaleLegend legend = new PaintScaleLegend(scale, new NumberAxis(scaleLabel));
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setMargin(4, 4, 4, 4);
    chart.addSubtitle(legend);
    int height = Math.max(120, Math.min(900, (int) Math.round((double) width * r / c)) + 60);
    return png(chart, width, height);
  }

  /** White (low) to dark red (high), through yellow and orange. */
  private static PaintScale heat(double low, double high) {
    if (!(high > low)) {
      return new GrayPaintScale(low, low + 1);
    }
    LookupPaintScale scale = new LookupPaintScale(low, high, Color.WHITE);
    int steps = 64;
    for (int i = 0; i < steps; i++) {
      float t = (float) i / (steps - 1);
      Color color = t < 0.5f ? blend(Color.WHITE, new Color(255, 190, 40), t * 2)
          : blend(new Color(255, 190, 40), new Color(150, 0, 0), (t - 0.5f) * 2);
      scale.add(low + (high - low) * i / steps, color);
    }
    return scale;
  }

  private static Color blend(Color a, Color b, float t) {
    return new Color(Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
        Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
        Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
  }

  private static String png(JFreeChart chart, int width, int height) {
    chart.setBackgroundPaint(Color.WHITE);
    BufferedImage image = chart.createBufferedImage(width, height);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
