package dev.livestack.synth;

import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * A text form of what other classes can see of a type: every member's kind, modifiers, name and
 * type, supertypes, thrown types, annotation defaults and — what javac copies into other classes —
 * constant values. Method bodies and local classes are not part of it.
 */
final class Abi {
    private Abi() {
    }

    static void append(Element e, StringBuilder sb) {
        sb.append(e.getKind()).append(' ').append(e.getModifiers()).append(' ').append(e.getSimpleName())
                .append(" : ").append(e.asType());
        if (e instanceof TypeElement t) {
            sb.append(" extends ").append(t.getSuperclass()).append(" implements ").append(t.getInterfaces())
                    .append(" permits ").append(t.getPermittedSubclasses());
        } else if (e instanceof VariableElement v) {
            Object c = v.getConstantValue();
            if (c != null) {
                sb.append(" = ").append(c.getClass().getSimpleName()).append(':').append(c);
            }
        } else if (e instanceof ExecutableElement x) {
            sb.append(" throws ").append(x.getThrownTypes());
            if (x.getDefaultValue() != null) {
                sb.append(" default ").append(x.getDefaultValue());
            }
        }
        sb.append('\n');
        for (Element member : e.getEnclosedElements()) {
            append(member, sb);
        }
    }
}
