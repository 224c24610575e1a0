package org.layerlift.gateway.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.layerlift.api.gateway.ComponentStatus;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/** Reads the state of LayerLift's Declarative Services components, with the reason for each that is not active. */
final class ComponentStates {

    static final String OUR_BUNDLES = "org.layerlift.";

    private ComponentStates() {
    }

    static List<ComponentStatus> of(ServiceComponentRuntime scr) {
        List<ComponentStatus> result = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            String bundle = description.bundle.symbolicName;
            if (bundle == null || !bundle.startsWith(OUR_BUNDLES)) {
                continue;
            }
            if (!scr.isComponentEnabled(description)) {
                result.add(new ComponentStatus(description.name, bundle, "DISABLED", "disabled"));
                continue;
            }
            var configurations = scr.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty()) {
                result.add(new ComponentStatus(description.name, bundle, "UNSATISFIED_CONFIGURATION",
                        "waiting for configuration " + String.join(", ", description.configurationPid)));
            }
            for (ComponentConfigurationDTO c : configurations) {
                result.add(new ComponentStatus(description.name, bundle, stateName(c.state), reason(description, c)));
            }
        }
        result.sort(Comparator.comparing(ComponentStatus::name));
        return result;
    }

    static boolean healthy(ComponentStatus c) {
        return c.state().equals("ACTIVE") || c.state().equals("SATISFIED");
    }

    static String stateName(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "UNKNOWN(" + state + ")";
        };
    }

    static String reason(ComponentDescriptionDTO description, ComponentConfigurationDTO c) {
        if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
            return firstCause(c.failure);
        }
        if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE && c.unsatisfiedReferences != null) {
            return "waiting for " + java.util.Arrays.stream(c.unsatisfiedReferences)
                    .map(r -> describe(description, r)).collect(Collectors.joining(", "));
        }
        return null;
    }

    /**
     * A missing reference by the service it needs (its interface, with the target filter if any). The reference's
     * name is often a placeholder the annotations made up for a constructor parameter ({@code $002}), which says
     * nothing; the description's references map that name to the interface.
     */
    private static String describe(ComponentDescriptionDTO description, UnsatisfiedReferenceDTO r) {
        String service = r.name;
        if (description.references != null) {
            for (ReferenceDTO ref : description.references) {
                if (ref.name != null && ref.name.equals(r.name) && ref.interfaceName != null) {
                    service = ref.interfaceName;
                    break;
                }
            }
        }
        return service + (r.target != null ? " " + r.target : "");
    }

    /**
     * SCR gives the activation failure as a whole stack trace; the useful line is the deepest "Caused by" (our
     * validation message), else the first line.
     */
    static String firstCause(String failure) {
        if (failure == null || failure.isBlank()) {
            return "activation failed";
        }
        String best = failure.lines().findFirst().orElse(failure);
        for (String line : failure.lines().toList()) {
            String t = line.strip();
            if (t.startsWith("Caused by: ")) {
                best = t.substring("Caused by: ".length());
            }
        }
        return best.replaceFirst("^java\\.lang\\.IllegalArgumentException: ", "");
    }
}
