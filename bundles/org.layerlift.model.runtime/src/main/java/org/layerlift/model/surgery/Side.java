package org.layerlift.model.surgery;

/** Where a part of a plan runs. */
public enum Side {
    /** On the mobile client, which holds the whole model. */
    CLIENT,
    /** On the gateway, which holds the graph and the weights of the uploaded units only. */
    SERVER
}
