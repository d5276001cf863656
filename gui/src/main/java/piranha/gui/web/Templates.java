package piranha.gui.web;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;

import freemarker.cache.ClassTemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;

/**
 * FreeMarker templates from the class path ({@code piranha/gui/templates/*.ftlh}). The
 * {@code .ftlh} extension turns on HTML auto-escaping: every value from lvs.cf or a daemon is
 * escaped unless a template says otherwise, and none does.
 */
public final class Templates {
    private final Configuration cfg;

    public Templates() {
        cfg = new Configuration(Configuration.VERSION_2_3_32);
        cfg.setTemplateLoader(new ClassTemplateLoader(Templates.class, "/piranha/gui/templates"));
        cfg.setDefaultEncoding("UTF-8");
        cfg.setRecognizeStandardFileExtensions(true);
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        cfg.setNumberFormat("computer");
        cfg.setBooleanFormat("c");
    }

    public String render(String name, Map<String, Object> model) {
        try {
            StringWriter out = new StringWriter(8192);
            cfg.getTemplate(name + ".ftlh").process(model, out);
            return out.toString();
        } catch (IOException | TemplateException e) {
            throw new IllegalStateException("template " + name + ": " + e.getMessage(), e);
        }
    }
}
