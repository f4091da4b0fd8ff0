package io.turbovbi.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network description: a list of layers written as text, e.g.
 * {@code conv(20,5) relu maxpool(2) conv(50,5) relu maxpool(2) flatten dense(500) relu dense(10)}.
 * Layers: {@code dense(units)}, {@code conv(channels, kernel, stride=1, pad=0)}, {@code maxpool(size, stride=size)},
 * {@code relu}, {@code flatten}. Named presets: {@code lenet300} (LeNet-300-100) and {@code lenet5}
 * (LeNet-5-Caffe, with ReLU after each convolution).
 */
public final class NetworkSpec {
  /** One layer of a description: its type, positional and named integer arguments. */
  public record LayerSpec(String type, List<Integer> args, Map<String, Integer> options) {
    int arg(int index) {
      return args.get(index);
    }

    int option(String name, int fallback) {
      return options.getOrDefault(name, fallback);
    }

    /** The layer as the description language writes it. */
    public String text() {
      List<String> parts = new ArrayList<>();
      args.forEach(arg -> parts.add(Integer.toString(arg)));
      options.forEach((name, value) -> parts.add(name + "=" + value));
      return parts.isEmpty() ? type : type + "(" + String.join(",", parts) + ")";
    }
  }

  public static final Map<String, String> PRESETS = Map.of(
      "lenet300", "dense(300) relu dense(100) relu dense(10)",
      "lenet5", "conv(20,5) relu maxpool(2) conv(50,5) relu maxpool(2) flatten dense(500) relu dense(10)");

  /** Largest Java array length that every JVM allocates. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
  private static final Pattern LAYER = Pattern.compile("([a-z0-9]+)(?:\\(([^)]*)\\))?");
  private static final Map<String, List<String>> ALLOWED_OPTIONS = Map.of(
      "dense", List.of(), "conv", List.of("stride", "pad"), "maxpool", List.of("stride"),
      "relu", List.of(), "flatten", List.of());
  private static final Map<String, Integer> POSITIONAL_ARGS = Map.of(
      "dense", 1, "conv", 2, "maxpool", 1, "relu", 0, "flatten", 0);

  private final String text;
  private final List<LayerSpec> layers;

  private NetworkSpec(String text, List<LayerSpec> layers) {
    this.text = text;
    this.layers = List.copyOf(layers);
  }

  public List<LayerSpec> layers() {
    return layers;
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * The same description with the weight layers (dense and conv, in order) given new numbers of output units; the
   * last weight layer must keep its number (the classes).
   */
  public NetworkSpec withUnits(int[] units) {
    List<LayerSpec> changed = new ArrayList<>();
    int k = 0;
    for (LayerSpec layer : layers) {
      if (layer.type().equals("dense") || layer.type().equals("conv")) {
        List<Integer> args = new ArrayList<>(layer.args());
        args.set(0, units[k++]);
        changed.add(new LayerSpec(layer.type(), args, layer.options()));
      } else {
        changed.add(layer);
      }
    }
    if (k != units.length) {
      throw new IllegalArgumentException(units.length + " unit counts for " + k + " weight layers");
    }
    return new NetworkSpec(String.join(" ", changed.stream().map(LayerSpec::text).toList()), changed);
  }

  /** Parses a description or a preset name. */
  public static NetworkSpec parse(String description) {
    String text = description.trim().toLowerCase(Locale.ROOT);
    String expanded = PRESETS.getOrDefault(text, text);
    List<LayerSpec> layers = new ArrayList<>();
    Matcher m = LAYER.matcher(expanded);
    int position = 0;
    while (position < expanded.length()) {
      char c = expanded.charAt(position);
      if (Character.isWhitespace(c) || c == ',') {
        position++;
        continue;
      }
      if (!m.find(position) || m.start() != position) {
        throw new IllegalArgumentException("cannot read the network description at '"
            + expanded.substring(position) + "' in: " + description);
      }
      layers.add(layer(m.group(1), m.group(2), description));
      position = m.end();
    }
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("empty network description");
    }
    return new NetworkSpec(expanded, layers);
  }

  private static LayerSpec layer(String rawType, String argText, String description) {
    String type = rawType.equals("pool") ? "maxpool" : rawType;
    List<String> allowed = ALLOWED_OPTIONS.get(type);
    if (allowed == null) {
      throw new IllegalArgumentException("unknown layer '" + rawType + "' in: " + description
          + " (known: dense, conv, maxpool, relu, flatten; presets: " + String.join(", ", PRESETS.keySet()) + ")");
    }
    List<Integer> args = new ArrayList<>();
    Map<String, Integer> options = new LinkedHashMap<>();
    if (argText != null && !argText.isBlank()) {
      for (String part : argText.split(",")) {
        String item = part.trim();
        int eq = item.indexOf('=');
        try {
          if (eq < 0) {
            args.add(Integer.parseInt(item));
          } else {
            String key = item.substring(0, eq).trim();
            if (!allowed.contains(key)) {
              throw new IllegalArgumentException(type + " has no option '" + key + "' (options: " + allowed + ")");
            }
            options.put(key, Integer.parseInt(item.substring(eq + 1).trim()));
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not an integer: '" + item + "' in " + type + "(" + argText + ")");
        }
      }
    }
    int expected = POSITIONAL_ARGS.get(type);
    if (args.size() != expected) {
      throw new IllegalArgumentException(type + " takes " + expected + " positional argument(s), got "
          + args.size() + " in: " + description);
    }
    return new LayerSpec(type, args, options);
  }

  /**
   * Builds the network for inputs of the given shape; the last layer must have {@code classes} outputs.
   * Weight layers followed by ReLU get He initialisation, the others Glorot.
   */
  public Network build(int channels, int height, int width, int classes, LayerFactory factory) {
    List<Layer> built = new ArrayList<>();
    int c = channels;
    int h = height;
    int w = width;
    boolean spatial = true;
    int features = channels * height * width;
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec spec = layers.get(i);
      boolean followedByRelu = i + 1 < layers.size() && layers.get(i + 1).type().equals("relu");
      Initialisation init = followedByRelu ? Initialisation.HE : Initialisation.GLOROT;
      switch (spec.type()) {
        case "conv" -> {
          if (!spatial) {
            throw new IllegalArgumentException("conv after flatten or dense in: " + text);
          }
          int outChannels = positive(spec.arg(0), spec);
          int kernel = positive(spec.arg(1), spec);
          requireArraySize((long) c * kernel * kernel * outChannels, "conv(" + outChannels + "," + kernel + ") on "
              + c + " channels");
          requireArraySize((long) outChannels * h * w, "conv(" + outChannels + "," + kernel + ") on " + h + "x" + w
              + " images");
          ConvGeometry g = new ConvGeometry(c, h, w, outChannels, kernel, spec.option("stride", 1),
              spec.option("pad", 0));
          built.add(factory.conv(g, init));
          c = g.outChannels();
          h = g.outHeight();
          w = g.outWidth();
        }
        case "maxpool" -> {
          if (!spatial) {
            throw new IllegalArgumentException("maxpool after flatten or dense in: " + text);
          }
          int size = positive(spec.arg(0), spec);
          MaxPool2DLayer pool = new MaxPool2DLayer(c, h, w, size, spec.option("stride", size));
          built.add(pool);
          h = pool.outHeight();
          w = pool.outWidth();
        }
        case "relu" -> built.add(new ReluLayer(spatial ? c * h * w : features, spatial));
        case "flatten" -> {
          if (!spatial) {
            throw new IllegalArgumentException("flatten twice or after dense in: " + text);
          }
          built.add(new FlattenLayer(c, h * w));
          spatial = false;
          features = c * h * w;
        }
        case "dense" -> {
          if (spatial) {
            if (!built.isEmpty()) {
              throw new IllegalArgumentException("dense after an image layer needs a flatten first in: " + text);
            }
            spatial = false;
          }
          int units = positive(spec.arg(0), spec);
          requireArraySize((long) features * units, "dense(" + units + ") on " + features + " inputs");
          built.add(factory.dense(features, units, init));
          features = units;
        }
        default -> throw new IllegalStateException(spec.type());
      }
    }
    if (spatial) {
      throw new IllegalArgumentException("the network must end with dense layers: " + text);
    }
    if (features != classes) {
      throw new IllegalArgumentException("the last layer has " + features + " outputs but the data has "
          + classes + " classes: " + text);
    }
    return new Network(built, channels, height, width);
  }

  /** Refuses a layer whose weights or outputs would not fit in one Java array (int indices). */
  private static void requireArraySize(long size, String layer) {
    if (size > MAX_ARRAY) {
      throw new IllegalArgumentException(layer + " needs " + size + " values in one array, at most " + MAX_ARRAY
          + " fit");
    }
  }

  private static int positive(int value, LayerSpec spec) {
    if (value <= 0) {
      throw new IllegalArgumentException(spec.type() + " needs positive sizes, got " + value);
    }
    return value;
  }
}
