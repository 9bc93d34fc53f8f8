package org.stratum4j.examples.pool;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.engine.Authorizer;

/**
 * Solo mining's authorizer: the worker name is {@code ADDRESS} or {@code ADDRESS.WORKER}, and the
 * address (of the chain's network) is what that connection's blocks pay. Anything else is refused
 * with the reason the address does not parse.
 */
final class SoloAuthorizer implements Authorizer {

    private final Network network;

    SoloAuthorizer(Network network) {
        this.network = Objects.requireNonNull(network, "network");
    }

    @Override
    public CompletionStage<Result> authorize(Request request) {
        String worker = request.worker();
        int dot = worker.indexOf('.');
        String text = dot < 0 ? worker : worker.substring(0, dot);
        try {
            Address address = Address.parse(text, network);
            return CompletableFuture.completedFuture(Result.payingTo(address.scriptPubKey()));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Result.refused("solo pool: the user name must be your " + network.id()
                    + " address, optionally followed by .worker (" + e.getMessage() + ")"));
        }
    }
}
