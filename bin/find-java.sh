# Sourced by ./walden and ./mvnw: sets JAVA_HOME to a JDK >= 21.
# Order: $JAVA_HOME if it is new enough, else the newest JDK under /usr/lib/jvm.
walden_java_major() { # prints the feature version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
walden_find_java() {
  local candidate best="" best_major=0 major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(walden_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ]; then return 0; fi
  fi
  for candidate in /usr/lib/jvm/*/; do
    candidate=${candidate%/}
    [ -x "$candidate/bin/javac" ] || continue
    major=$(walden_java_major "$candidate/bin/java")
    if [ "${major:-0}" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
  done
  if [ "$best_major" -ge 21 ]; then
    export JAVA_HOME=$best
    return 0
  fi
  echo "walden: no JDK 21 or newer found (JAVA_HOME is '${JAVA_HOME:-}', nothing suitable under /usr/lib/jvm)." >&2
  echo "walden: install one, for example: apt-get install -y openjdk-21-jdk-headless (or temurin-21-jdk), or set JAVA_HOME." >&2
  return 1
}
