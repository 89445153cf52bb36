package dev.sequent.runtime.cli;

/**
 * A {@code ./sequent} subcommand that lives in a module the runtime cannot depend on (the
 * {@code serve} module's {@code serve}, which needs an HTTP server the runtime should not carry).
 * {@link SequentCli} finds implementations with {@link java.util.ServiceLoader}: a module lists
 * its class in {@code META-INF/services/dev.sequent.runtime.cli.SequentSubcommand}, and the class,
 * a picocli {@code @Command} with a public no-argument constructor, joins the command line when
 * that module is on the classpath.
 */
public interface SequentSubcommand {}
