package org.hotlinemonitor.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.hotlinemonitor.app.http.ApiToken;
import org.hotlinemonitor.app.http.Scope;
import org.hotlinemonitor.app.http.TokenFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code token}: makes a new HTTP API token. Prints its secret once, and the line of the tokens file that holds only
 * its hash; with {@code --append}, adds that line to the file itself (the API takes it within a second).
 */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Makes a new HTTP API token (docs/security.md): 32 random bytes. Prints on stdout the secret (first line; shown this "
                + "once, never stored) and the line for the tokens file (second line; the name, the secret's SHA-256, the scopes).",
            "With --append FILE, the line is added to the tokens file instead, and only the secret is printed."},
        sortOptions = false)
final class TokenCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "Who will hold it, like ops-kim: 1 to 64 of a-z, 0-9, '.', '_', '-'. The source of the calls it records, "
                    + "the creator of the silences it adds.")
    String name;

    @Option(names = "--scopes", required = true, paramLabel = "SCOPE[,SCOPE...]",
            description = "What it may do: record (POST /api/v1/calls), silence (add and remove silences), read (GETs, when "
                    + "api.protectReads is true).")
    String scopes;

    @Option(names = "--append", paramLabel = "FILE",
            description = "Add the line to this tokens file (replaced whole, by a rename: the API never reads half of it).")
    Path append;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        if (!ApiToken.NAME.matcher(name).matches()) {
            throw new CommandLine.ParameterException(cl, "--name: use 1 to 64 of a-z, 0-9, '.', '_' and '-', was '" + name + "'");
        }
        EnumSet<Scope> set = EnumSet.noneOf(Scope.class);
        for (String s : scopes.split(",", -1)) {
            Scope scope = Scope.of(s.strip());
            if (scope == null) {
                throw new CommandLine.ParameterException(cl, "--scopes: unknown scope '" + s.strip()
                        + "'; expected record, silence or read, separated by commas");
            }
            set.add(scope);
        }
        String secret = TokenFile.newSecret(new SecureRandom());
        String line = TokenFile.line(TokenFile.token(name, secret, set));
        String scopeList = set.stream().map(Scope::id).collect(Collectors.joining(", "));
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        if (append != null) {
            appendTo(append, line);
            out.println(secret);
            out.flush();
            err.println("token " + name + " (" + scopeList + ") added to " + append + "; the secret above is shown this once: "
                    + "give it to its holder");
        } else {
            out.println(secret);
            out.println(line);
            out.flush();
            err.println("token " + name + " (" + scopeList + "): the first line is the secret, shown this once: give it to its "
                    + "holder. Add the second line to the tokens file (api.tokens); the API takes it within a second.");
        }
        err.flush();
        return ExitCodes.OK;
    }

    /** Adds {@code line}, checking that the file still parses (no name twice); then renames the new file over the old. */
    private static void appendTo(Path file, String line) throws IOException {
        String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        String after = before + (before.isEmpty() || before.endsWith("\n") ? "" : "\n") + line + "\n";
        try {
            TokenFile.parse(file.toString(), after);
        } catch (TokenFile.Invalid e) {
            throw new Main.BadInput("not added: " + e.getMessage(), e);
        }
        Path next = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(next, after, StandardCharsets.UTF_8);
        if (Files.exists(file)) {
            try {
                Files.setPosixFilePermissions(next, Files.getPosixFilePermissions(file)); // keep who may read it
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the new file has the default permissions
            }
        }
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
