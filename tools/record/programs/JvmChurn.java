// Not a leak: a fixed live set (a ring of 40 MB of records, replaced in place) and request
// garbage of a few MB/s. The collector's heap use saws; the committed heap settles.
import java.util.Random;

public class JvmChurn {
  public static void main(String[] args) throws InterruptedException {
    final byte[][] ring = new byte[20000][];
    for (int i = 0; i < ring.length; i++) ring[i] = new byte[2048];
    final Random random = new Random(16);
    long sink = 0;
    while (true) {
      for (int i = 0; i < 600; i++) {
        byte[] garbage = new byte[256 + random.nextInt(4096)];
        garbage[0] = (byte) i;
        sink += garbage.length;
      }
      for (int i = 0; i < 50; i++) ring[random.nextInt(ring.length)] = new byte[2048];
      Thread.sleep(250);
      if (sink < 0) System.out.println(sink);
    }
  }
}
