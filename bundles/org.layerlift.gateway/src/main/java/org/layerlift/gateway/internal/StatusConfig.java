package org.layerlift.gateway.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "LayerLift gateway status",
        description = "How often the gateway re-reads its components and health checks for its status")
@interface StatusConfig {

    @AttributeDefinition(description = "Seconds between status refreshes (bundle events refresh at once)",
            min = "1", max = "3600")
    int refresh_s() default 5;

    @AttributeDefinition(description = "How many recent framework problems the status keeps", min = "1", max = "1000")
    int problems_kept() default 20;
}
