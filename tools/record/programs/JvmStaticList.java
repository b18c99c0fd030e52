// Leak by construction: every "request" adds a session record to a static list that is never
// cleared, beside request garbage that dies young. G1 commits the heap in steps as the live set
// grows (and may uncommit after a concurrent cycle), so Private Bytes climbs as a staircase.
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

public class JvmStaticList {
  static final List<byte[]> SESSIONS = new ArrayList<>();

  public static void main(String[] args) throws InterruptedException {
    final int leakBytesPerSecond = Integer.parseInt(args.length > 0 ? args[0] : "90000");
    final List<byte[]> baseline = new ArrayList<>();
    for (int i = 0; i < 500; i++) baseline.add(new byte[100 * 1024]);  // ~50 MB live at start
    final Random random = new Random(15);
    long sink = 0;
    while (true) {
      // Load varies: a quiet tick leaks little, a busy one more.
      final double load = 0.5 + random.nextDouble();
      for (int i = 0; i < (int) (400 * load); i++) {
        byte[] garbage = new byte[512 + random.nextInt(8192)];
        garbage[0] = (byte) i;
        sink += garbage.length;
      }
      final int records = (int) (leakBytesPerSecond / 4 / 2048 * load);
      for (int i = 0; i < records; i++) SESSIONS.add(new byte[2048]);
      Thread.sleep(250);
      if (sink < 0) System.out.println(sink + baseline.size());
    }
  }
}
