package dev.tempora.cli;

import dev.tempora.worker.WorkerSetup;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A user's {@link WorkerSetup} for the devserver ({@code --worker-setup}, {@code --classpath},
 * {@code --jar}), loaded in a class loader of its own whose parent is the devserver's: the engine's
 * classes are the devserver's, the workflows and activities the user's. A refusal is a {@link
 * Refused} whose message starts with its name.
 */
final class UserCode {
  /** The manifest attribute naming a jar's setup class, read when {@code --worker-setup} is not given. */
  static final String MANIFEST_ATTRIBUTE = "Tempora-Worker-Setup";

  private UserCode() {}

  /** Why user code cannot be loaded; the message starts with the refusal's name. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** The loaded setup and the loader its classes come from. */
  record Loaded(WorkerSetup setup, ClassLoader loader) {}

  /**
   * Loads {@code setupClass} (or, if null, the class the jar's manifest names) from {@code
   * classpath} entries (directories, jars, or {@code dir/*} for every jar in dir) and {@code jar}.
   */
  static Loaded load(String setupClass, List<String> classpath, Path jar) throws Refused {
    List<URL> urls = new ArrayList<>();
    if (jar != null) {
      String named = manifestSetup(jar);
      if (setupClass == null) {
        if (named == null) {
          throw new Refused("NoWorkerSetup: " + jar + " has no " + MANIFEST_ATTRIBUTE
              + " attribute in its manifest; name the class with --worker-setup CLASS");
        }
        setupClass = named;
      }
      urls.add(url(jar));
    }
    if (setupClass == null) {
      throw new Refused("NoWorkerSetup: --classpath needs --worker-setup CLASS (the class implementing "
          + WorkerSetup.class.getName() + ")");
    }
    for (String entry : classpath) {
      for (String part : entry.split(java.io.File.pathSeparator)) {
        if (!part.isBlank()) {
          urls.addAll(entries(part.trim()));
        }
      }
    }
    ClassLoader loader = new URLClassLoader("tempora-user-code", urls.toArray(URL[]::new),
        UserCode.class.getClassLoader());
    Class<?> c;
    try {
      c = Class.forName(setupClass, true, loader);
    } catch (ClassNotFoundException e) {
      throw new Refused("WorkerSetupNotFound: class " + setupClass + " is not in " + describe(urls));
    } catch (LinkageError e) {
      throw new Refused("WorkerSetupNotLoadable: class " + setupClass + " cannot be loaded: " + e);
    }
    if (!WorkerSetup.class.isAssignableFrom(c)) {
      throw new Refused("NotAWorkerSetup: " + setupClass + " does not implement " + WorkerSetup.class.getName());
    }
    try {
      return new Loaded((WorkerSetup) c.getDeclaredConstructor().newInstance(), loader);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new Refused("WorkerSetupNotInstantiable: " + setupClass
          + " needs a public no-argument constructor (and must be a public, non-abstract class)");
    } catch (InstantiationException e) {
      throw new Refused("WorkerSetupNotInstantiable: " + setupClass + " is abstract or an interface");
    } catch (InvocationTargetException e) {
      throw new Refused("WorkerSetupFailed: the constructor of " + setupClass + " threw " + e.getCause());
    }
  }

  private static String manifestSetup(Path jar) throws Refused {
    if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
      throw new Refused("UnreadableJar: " + jar + " is not a readable file");
    }
    try (JarFile f = new JarFile(jar.toFile())) {
      Manifest m = f.getManifest();
      String named = m == null ? null : m.getMainAttributes().getValue(MANIFEST_ATTRIBUTE);
      return named == null || named.isBlank() ? null : named.trim();
    } catch (IOException | SecurityException e) {
      throw new Refused("UnreadableJar: " + jar + " is not a jar (" + e.getMessage() + ")");
    }
  }

  /** A classpath entry's URLs: a directory, a jar, or {@code dir/*} for the jars in dir. */
  private static List<URL> entries(String entry) throws Refused {
    if (entry.endsWith("/*") || entry.equals("*")) {
      Path dir = Path.of(entry.substring(0, entry.length() - 1));
      if (!Files.isDirectory(dir)) {
        throw new Refused("ClasspathEntryNotFound: " + dir + " is not a directory");
      }
      try (Stream<Path> files = Files.list(dir)) {
        List<URL> out = new ArrayList<>();
        for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList()) {
          out.add(url(f));
        }
        return out;
      } catch (IOException e) {
        throw new Refused("ClasspathEntryNotFound: cannot list " + dir + ": " + e.getMessage());
      }
    }
    Path p = Path.of(entry);
    if (!Files.exists(p)) {
      throw new Refused("ClasspathEntryNotFound: " + entry + " does not exist");
    }
    if (Files.isRegularFile(p)) {
      manifestSetup(p); // a jar must be readable as one
    }
    return List.of(url(p));
  }

  private static URL url(Path p) throws Refused {
    try {
      return p.toAbsolutePath().normalize().toUri().toURL();
    } catch (MalformedURLException e) {
      throw new Refused("ClasspathEntryNotFound: " + p + " is not a valid path");
    }
  }

  private static String describe(List<URL> urls) {
    return urls.isEmpty() ? "the devserver's classpath (no --classpath or --jar given)"
        : "the given classpath (" + String.join(", ", urls.stream().map(URL::getPath).toList()) + ")";
  }
}
