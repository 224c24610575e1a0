package org.layerlift.planning;

import java.util.Set;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;

/**
 * A checked, float32 view of a cost profile at one bandwidth: the numbers the execution graph is built from.
 * Units already on the server cost nothing to upload or load.
 */
public final class UnitChain {

    private final String model;
    private final int size;
    private final float bytesPerMs;
    private final float[] clientMs;
    private final float[] serverMs;
    private final float[] sendInputMs;
    private final float[] returnOutputMs;
    private final float[] loadMs;
    private final long[] uploadBytes;

    private UnitChain(CostProfile profile, float bytesPerMs, Set<Integer> onServer) {
        this.model = profile.model();
        this.size = profile.units().size();
        this.bytesPerMs = bytesPerMs;
        clientMs = new float[size];
        serverMs = new float[size];
        sendInputMs = new float[size];
        returnOutputMs = new float[size];
        loadMs = new float[size];
        uploadBytes = new long[size];
        for (int i = 0; i < size; i++) {
            UnitCost unit = profile.units().get(i);
            clientMs[i] = (float) unit.clientMs();
            serverMs[i] = (float) unit.serverMs();
            // the authors hold sizes as int and divide them as float
            sendInputMs[i] = (float) unit.inputBytes() / bytesPerMs;
            returnOutputMs[i] = (float) unit.outputBytes() / bytesPerMs;
            boolean uploaded = onServer.contains(i);
            loadMs[i] = uploaded ? 0f : (float) unit.loadMs();
            uploadBytes[i] = uploaded ? 0 : unit.weightBytes();
        }
    }

    public static UnitChain of(CostProfile profile, double bandwidthMbps) {
        return of(profile, bandwidthMbps, Set.of());
    }

    /**
     * @throws IllegalArgumentException naming the model and unit, for an empty profile, a negative or non-finite cost,
     *                                  a non-positive bandwidth or an unknown unit index
     */
    public static UnitChain of(CostProfile profile, double bandwidthMbps, Set<Integer> unitsOnServer) {
        if (profile == null) {
            throw new IllegalArgumentException("no cost profile");
        }
        String model = profile.model();
        if (profile.units().isEmpty()) {
            throw new IllegalArgumentException("model '" + model + "' has no partition units");
        }
        for (int i = 0; i < profile.units().size(); i++) {
            check(model, i, profile.units().get(i));
        }
        for (int unit : unitsOnServer) {
            if (unit < 0 || unit >= profile.units().size()) {
                throw new IllegalArgumentException("model '" + model + "': unit " + unit
                        + " said to be on the server does not exist (" + profile.units().size() + " units)");
            }
        }
        float bytesPerMs = (float) Bandwidth.bytesPerMs(bandwidthMbps);
        return new UnitChain(profile, bytesPerMs, unitsOnServer);
    }

    private static void check(String model, int index, UnitCost unit) {
        String where = "model '" + model + "', unit " + index + " '" + unit.name() + "': ";
        checkTime(where, "client time", unit.clientMs());
        checkTime(where, "server time", unit.serverMs());
        checkTime(where, "load time", unit.loadMs());
        if (unit.weightBytes() < 0 || unit.inputBytes() < 0 || unit.outputBytes() < 0) {
            throw new IllegalArgumentException(where + "negative byte count");
        }
    }

    private static void checkTime(String where, String what, double ms) {
        if (!Double.isFinite(ms) || ms < 0) {
            throw new IllegalArgumentException(where + what + " must be finite and non-negative, got " + ms);
        }
    }

    public String model() {
        return model;
    }

    public int size() {
        return size;
    }

    /** Link rate as the authors hold it: a float, bytes per ms. */
    public float bytesPerMs() {
        return bytesPerMs;
    }

    public float clientMs(int unit) {
        return clientMs[unit];
    }

    public float sendInputMs(int unit) {
        return sendInputMs[unit];
    }

    public float returnOutputMs(int unit) {
        return returnOutputMs[unit];
    }

    /** Bytes still to upload for the unit: zero once it is on the server. */
    public long uploadBytes(int unit) {
        return uploadBytes[unit];
    }

    /**
     * The server edge: run time plus the penalised upload and load, in the authors' operation order
     * ({@code size*p/B + ts + load*p}, all float).
     */
    public float serverEdgeMs(int unit, float penalty) {
        return ((float) uploadBytes[unit] * penalty) / bytesPerMs + serverMs[unit] + loadMs[unit] * penalty;
    }
}
