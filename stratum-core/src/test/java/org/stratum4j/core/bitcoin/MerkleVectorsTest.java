package org.stratum4j.core.bitcoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.stratum4j.core.testing.Json;

/** Merkle roots and Stratum coinbase branches from {@code merkle.json}. */
class MerkleVectorsTest {

    private static final Map<String, Object> FILE = Json.resource("/vectors/merkle.json");

    @TestFactory
    Stream<DynamicTest> realBlocksGiveTheirRootAndBranch() {
        return Json.maps(FILE, "blocks").stream().map(v -> dynamicTest((String) v.get("name"), () -> {
            List<Sha256Hash> txids = Json.strings(v, "txids").stream().map(Sha256Hash::fromDisplayHex).collect(Collectors.toList());
            assertThat(txids).hasSize((int) ((Json.Num) v.get("tx_count")).asLong());
            Sha256Hash expectedRoot = Sha256Hash.fromDisplayHex((String) v.get("merkle_root"));

            assertThat(MerkleTree.root(txids)).isEqualTo(expectedRoot);

            MerkleBranch branch = MerkleBranch.forCoinbase(txids.subList(1, txids.size()));
            assertThat(branch.toInternalHex()).isEqualTo(Json.strings(v, "coinbase_branch"));

            Sha256Hash coinbase = Sha256Hash.fromDisplayHex((String) v.get("coinbase_txid"));
            assertThat(coinbase).isEqualTo(txids.get(0));
            assertThat(branch.rootFor(coinbase)).isEqualTo(expectedRoot);
            assertThat(MerkleBranch.fromInternalHex(Json.strings(v, "coinbase_branch"))).isEqualTo(branch);
        }));
    }

    @TestFactory
    Stream<DynamicTest> miningcoreSyntheticBranches() {
        return Json.maps(FILE, "synthetic_branch_tests").stream().map(v -> dynamicTest((String) v.get("name"), () -> {
            List<Sha256Hash> leaves = Json.strings(v, "leaf_strings").stream()
                    .map(s -> Sha256Hash.twiceOf(s.getBytes(StandardCharsets.US_ASCII))).collect(Collectors.toList());
            assertThat(MerkleBranch.forCoinbase(leaves).toInternalHex()).isEqualTo(Json.strings(v, "expected_branch"));
        }));
    }

    @TestFactory
    Stream<DynamicTest> espMinerCoinbasePlusBranchGivesRoot() {
        return Json.maps(FILE, "root_from_branch").stream().map(v -> dynamicTest((String) v.get("name"), () -> {
            Sha256Hash coinbaseTxid = Sha256Hash.twiceOf(Hex.decode((String) v.get("coinbase_hex")));
            MerkleBranch branch = MerkleBranch.fromInternalHex(Json.strings(v, "branch"));

            Sha256Hash root = branch.rootFor(coinbaseTxid);
            assertThat(root.toInternalHex()).isEqualTo(v.get("expected_merkle_root_internal"));
            assertThat(root.toDisplayHex()).isEqualTo(v.get("expected_merkle_root_display"));

            // The allocation-free path used per share gives the same bytes.
            byte[] node = coinbaseTxid.internalBytes();
            branch.applyTo(node, 0, new byte[64], new Sha256Hasher());
            assertThat(Hex.encode(node)).isEqualTo(v.get("expected_merkle_root_internal"));
        }));
    }

    @Test
    void branchRebuildsTheRootForEveryTreeShapeUpTo300Leaves() {
        Random random = new Random(20261125L);
        for (int n = 1; n <= 300; n++) {
            List<Sha256Hash> leaves = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[32];
                random.nextBytes(b);
                leaves.add(Sha256Hash.fromInternalBytes(b));
            }
            MerkleBranch branch = MerkleBranch.forCoinbase(leaves.subList(1, n));
            assertThat(branch.rootFor(leaves.get(0))).as("%d leaves", n).isEqualTo(MerkleTree.root(leaves));
            assertThat(branch.size()).as("depth for %d leaves", n).isEqualTo(32 - Integer.numberOfLeadingZeros(n - 1));
        }
    }

    @Test
    void aBlockWithOnlyTheCoinbaseHasAnEmptyBranchAndItsTxidAsRoot() {
        Sha256Hash cb = Sha256Hash.twiceOf(new byte[] {1});
        assertThat(MerkleBranch.forCoinbase(List.of()).size()).isZero();
        assertThat(MerkleBranch.forCoinbase(List.of()).rootFor(cb)).isEqualTo(cb);
        assertThat(MerkleTree.root(List.of(cb))).isEqualTo(cb);
        assertThatThrownBy(() -> MerkleTree.root(List.of())).hasMessageContaining("at least one leaf");
    }

    @org.junit.jupiter.api.Test
    void mutationIsTwoEqualSiblingsAtAnyLevel() {
        Sha256Hash a = Sha256Hash.twiceOf(new byte[] {1});
        Sha256Hash b = Sha256Hash.twiceOf(new byte[] {2});
        Sha256Hash c = Sha256Hash.twiceOf(new byte[] {3});
        org.assertj.core.api.Assertions.assertThat(MerkleTree.isMutated(java.util.List.of(a, b, c))).isFalse();
        // Repeating the odd last leaf keeps the root: Core's CVE-2012-2459 case.
        org.assertj.core.api.Assertions.assertThat(MerkleTree.root(java.util.List.of(a, b, c, c)))
                .isEqualTo(MerkleTree.root(java.util.List.of(a, b, c)));
        org.assertj.core.api.Assertions.assertThat(MerkleTree.isMutated(java.util.List.of(a, b, c, c))).isTrue();
        // Equal pairs one level up: [a, b, a, b] has two equal parents.
        org.assertj.core.api.Assertions.assertThat(MerkleTree.isMutated(java.util.List.of(a, b, a, b))).isTrue();
        org.assertj.core.api.Assertions.assertThat(MerkleTree.isMutated(java.util.List.of(a))).isFalse();
    }
}
