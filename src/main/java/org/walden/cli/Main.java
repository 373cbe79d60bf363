package org.walden.cli;

/** Entry point placeholder; the picocli command tree is built in this package. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("walden");
  }
}
