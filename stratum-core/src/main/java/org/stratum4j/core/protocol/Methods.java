package org.stratum4j.core.protocol;

/** The Stratum V1 method names. */
public final class Methods {

    /** miner → pool: subscribe for jobs; answered with extranonce1 and the extranonce2 size. */
    public static final String SUBSCRIBE = "mining.subscribe";
    /** miner → pool: authorize a worker. */
    public static final String AUTHORIZE = "mining.authorize";
    /** miner → pool: BIP310 extensions (version rolling, minimum difficulty, subscribe-extranonce). */
    public static final String CONFIGURE = "mining.configure";
    /** miner → pool: a share. */
    public static final String SUBMIT = "mining.submit";
    /** miner → pool: the difficulty the miner would like. */
    public static final String SUGGEST_DIFFICULTY = "mining.suggest_difficulty";
    /** miner → pool: ask for {@code mining.set_extranonce} when the extranonce changes (NiceHash). */
    public static final String EXTRANONCE_SUBSCRIBE = "mining.extranonce.subscribe";
    /** miner → pool: the transactions of a job (rarely used). */
    public static final String GET_TRANSACTIONS = "mining.get_transactions";
    /** miner → pool: multi-version support (rarely used). */
    public static final String MULTI_VERSION = "mining.multi_version";

    /** pool → miner: a new job. */
    public static final String NOTIFY = "mining.notify";
    /** pool → miner: the share difficulty for the next jobs. */
    public static final String SET_DIFFICULTY = "mining.set_difficulty";
    /** pool → miner: the version-rolling mask changed. */
    public static final String SET_VERSION_MASK = "mining.set_version_mask";
    /** pool → miner: new extranonce1 and extranonce2 size. */
    public static final String SET_EXTRANONCE = "mining.set_extranonce";
    /** pool → miner: connect elsewhere. */
    public static final String RECONNECT = "client.reconnect";
    /** pool → miner: a message for the operator. */
    public static final String SHOW_MESSAGE = "client.show_message";
    /** pool → miner (request): the miner's software version. */
    public static final String GET_VERSION = "client.get_version";

    private Methods() {
    }
}
