import com.adobe.epubcheck.tool.EpubChecker;

/** Runs epubcheck on every EPUB named on the command line in one JVM. */
public class EpubCheckMany {
    public static void main(String[] args) {
        int failed = 0;
        for (String path : args) {
            System.err.println("Checking " + path);
            if (new EpubChecker().run(new String[] {path, "--quiet"}) != 0) {
                failed++;
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
