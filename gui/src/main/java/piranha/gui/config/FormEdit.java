package piranha.gui.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import piranha.lvscf.Diagnostic;
import piranha.lvscf.LvsCfDocument;

/**
 * A submitted form applied to a document through lvscf's editor: only the fields whose value
 * differs from the file are touched, so a save changes only the lines the operator changed. Each
 * error is reported next to its field when it can be traced to one, else for the whole form.
 */
public final class FormEdit implements ConfigStore.Edit {
    /** The longest value a field takes, in characters; longer ones are refused next to the field. */
    public static final int MAX_VALUE = 64 * 1024;
    private final LvsCfDocument result;
    private final Map<String, String> fieldErrors;
    private final List<String> formErrors;

    private FormEdit(LvsCfDocument result, Map<String, String> fieldErrors, List<String> formErrors) {
        this.result = result;
        this.fieldErrors = fieldErrors;
        this.formErrors = formErrors;
    }

    /** A whole-document change (add, delete, toggle) whose only possible errors are lvscf's. */
    public static FormEdit of(LvsCfDocument before, LvsCfDocument after) {
        List<String> errors = new ArrayList<>();
        if (!before.hasErrors()) {
            for (Diagnostic d : after.errors()) {
                errors.add(describe(d));
            }
        } else {
            errors.add("lvs.cf already has errors; correct them in the file first:");
            before.errors().forEach(d -> errors.add(describe(d)));
        }
        return new FormEdit(after, Map.of(), errors);
    }

    public static FormEdit failed(LvsCfDocument doc, String message) {
        return new FormEdit(doc, Map.of(), List.of(message));
    }

    public static FormEdit apply(LvsCfDocument doc, Target target, List<Field> fields, Map<String, String> submitted) {
        Map<String, String> fieldErrors = new LinkedHashMap<>();
        List<String> formErrors = new ArrayList<>();
        if (!target.exists(doc)) {
            return failed(doc, "that entry no longer exists in lvs.cf; reload the list");
        }
        if (doc.hasErrors()) {
            formErrors.add("lvs.cf already has errors; correct them in the file first:");
            doc.errors().forEach(d -> formErrors.add(describe(d)));
            return new FormEdit(doc, fieldErrors, formErrors);
        }
        LvsCfDocument out = doc;
        for (Field f : fields) {
            String typed = submitted.get(f.key());
            if (typed == null) {
                continue; // not on this form: leave it alone
            }
            if (typed.length() > MAX_VALUE) {
                fieldErrors.put(f.key(), String.format("%,d characters is too long: a value may have at most %,d",
                        typed.length(), MAX_VALUE));
                continue;
            }
            String value = f.keepsBlanks(target.scope()) ? typed : typed.strip();
            String wanted = value.isEmpty() ? null : value;
            if (Objects.equals(wanted, target.text(out, f.key()))) {
                continue;
            }
            try {
                LvsCfDocument edited;
                if (f.isName()) {
                    if (wanted == null) {
                        fieldErrors.put(f.key(), "a name is required");
                        continue;
                    }
                    edited = target.rename(out, wanted);
                } else {
                    edited = target.with(out, f.key(), wanted);
                }
                if (!target.exists(edited)) {
                    // the editor refuses such values; this keeps a gap there from losing the block
                    fieldErrors.put(f.key(), "this value would change the structure of lvs.cf");
                    continue;
                }
                out = edited;
            } catch (IllegalArgumentException e) {
                fieldErrors.put(f.key(), e.getMessage());
            }
        }
        int[] span = target.lines(out);
        for (Diagnostic d : out.errors()) {
            boolean inTarget = span == null ? !insideBlock(out, d.line()) : d.line() >= span[0] && d.line() <= span[1];
            Field f = inTarget ? fieldFor(fields, d.key()) : null;
            if (f != null && !fieldErrors.containsKey(f.key())) {
                fieldErrors.put(f.key(), d.message());
            } else if (f == null) {
                formErrors.add(describe(d));
            }
        }
        return new FormEdit(out, fieldErrors, formErrors);
    }

    private static boolean insideBlock(LvsCfDocument doc, int line) {
        for (var n : doc.syntax().nodes()) {
            if (n instanceof piranha.lvscf.syntax.Node.Block b) {
                int last = b.close() != null ? b.close().number() : Integer.MAX_VALUE;
                if (line >= b.header().number() && line <= last) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Field fieldFor(List<Field> fields, String key) {
        if (key == null) {
            return null;
        }
        for (Field f : fields) {
            if (f.key().equals(key)) {
                return f;
            }
        }
        return null;
    }

    static String describe(Diagnostic d) {
        return "line " + d.line() + (d.key() != null ? " (" + d.key() + ")" : "") + ": " + d.message();
    }

    @Override
    public LvsCfDocument result() {
        return result;
    }

    @Override
    public boolean hasErrors() {
        return !fieldErrors.isEmpty() || !formErrors.isEmpty();
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }

    public List<String> formErrors() {
        return formErrors;
    }
}
