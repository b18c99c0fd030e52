// Not a leak: a bounded LRU cache (50 000 entries of ~2 KB) fills from random keys over the
// first ten-odd minutes (a saturating rise), then evicts as fast as it inserts (a plateau).
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

public class JvmWarmup {
  static final int CAPACITY = 50000;

  public static void main(String[] args) throws InterruptedException {
    final Map<Integer, byte[]> cache = new LinkedHashMap<>(1 << 16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
        return size() > CAPACITY;
      }
    };
    final Random random = new Random(17);
    long hits = 0;
    while (true) {
      for (int i = 0; i < 40; i++) {
        final int key = random.nextInt(62000);
        if (cache.get(key) != null) {
          hits++;
        } else {
          cache.put(key, new byte[2048]);
        }
        byte[] garbage = new byte[1024];
        garbage[0] = (byte) hits;
      }
      Thread.sleep(250);
    }
  }
}
