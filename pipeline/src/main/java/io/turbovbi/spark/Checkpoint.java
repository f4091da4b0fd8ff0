package io.turbovbi.spark;

import io.turbovbi.nn.Optimizer;
import io.turbovbi.turbo.TurboVbi;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * Everything a stopped compress run needs to continue exactly where it was: the Turbo-VBI loop's state, the
 * network's parameters, the optimiser's state and the number of epochs done (which keys shuffles and noise).
 *
 * @param network the network description of the run, checked when resuming
 */
public record Checkpoint(String network, TurboVbi.State loop, float[] params, Optimizer.State optimizer,
                         int epochsDone) implements Serializable {
  private static final String MAGIC = "turbovbi-checkpoint";
  private static final int FORMAT_VERSION = 1;

  public void writeTo(OutputStream out) throws IOException {
    DataOutputStream header = new DataOutputStream(out);
    header.writeUTF(MAGIC);
    header.writeInt(FORMAT_VERSION);
    header.flush();
    DeflaterOutputStream compressed = new DeflaterOutputStream(out);
    ObjectOutputStream objects = new ObjectOutputStream(compressed);
    objects.writeObject(this);
    objects.flush();
    compressed.finish();
  }

  /** Reads a checkpoint; one that is not a checkpoint, or of another format version, is refused by name. */
  public static Checkpoint readFrom(InputStream in, String source) {
    try (DataInputStream header = new DataInputStream(in)) {
      if (!MAGIC.equals(header.readUTF())) {
        throw new IllegalArgumentException(source + " is not a checkpoint of this project");
      }
      int version = header.readInt();
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException(source + " has checkpoint format " + version + ", this version reads "
            + FORMAT_VERSION);
      }
      try (ObjectInputStream objects = new ObjectInputStream(new InflaterInputStream(header))) {
        return (Checkpoint) objects.readObject();
      }
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      throw new IllegalArgumentException("cannot read checkpoint " + source + ": " + e);
    }
  }
}
