package dev.livestack.synth;

import java.nio.file.Path;
import java.util.List;

/** A template file app: the file is the assembly, re-read on every synth. */
final class TemplateFileSynthesizer implements Synthesizer {
    private final Path file;
    private final String stackName;

    TemplateFileSynthesizer(Path file, String stackName) {
        this.file = file;
        this.stackName = stackName != null ? stackName : nameFromFile(file);
    }

    static String nameFromFile(Path file) {
        String n = file.getFileName().toString();
        int dot = n.indexOf('.');
        String base = dot > 0 ? n.substring(0, dot) : n;
        // CloudFormation stack names: a letter, then letters, digits and hyphens
        String cleaned = base.replaceAll("[^A-Za-z0-9-]", "-");
        if (cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0))) {
            cleaned = "Stack-" + cleaned;
        }
        return cleaned;
    }

    @Override
    public CloudAssembly synth() throws SynthException {
        return new CloudAssembly(file.getParent(), List.of(new StackTemplate(stackName, Templates.read(file), List.of())));
    }
}
