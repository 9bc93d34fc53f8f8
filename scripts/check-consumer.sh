#!/usr/bin/env bash
# Stages the library's release artifacts and builds an outside project against them on the module
# path: a pool engine and server on loopback, and a client of its own that gets a job. Checks what
# an embedder gets from a repository: the published POMs resolve, the module descriptors let a
# named module use the API, and it runs. Needs Maven Central (the consumer's own plugins and the
# third-party jars are fetched into a fresh local repository, so nothing comes from this build's).
# Then runs the example pool itself from the module path (an automatic module) and checks it
# answers --help.
# Usage: scripts/check-consumer.sh   (prints the consumer's line; exits non-zero on any failure)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
staging="$root/target/staging"
work="$root/target/consumer"
rm -rf "$staging" "$work"
./mvnw -q deploy -DskipTests -DaltDeploymentRepository="local::file:$staging"
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
mkdir -p "$work/src/main/java/consumer"
cat > "$work/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>consumer</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <repositories>
    <repository>
      <id>staging</id>
      <url>file://$staging</url>
      <snapshots><enabled>true</enabled></snapshots>
    </repository>
  </repositories>
  <dependencies>
    <dependency>
      <groupId>org.stratum4j</groupId>
      <artifactId>stratum-transport-nio</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.1</version></plugin>
      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>
    </plugins>
  </build>
</project>
POM
cat > "$work/src/main/java/module-info.java" <<'JAVA'
module consumer {
    requires org.stratum4j.transport.nio; // and, transitively, org.stratum4j.core
}
JAVA
cat > "$work/src/main/java/consumer/Main.java" <<'JAVA'
package consumer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.transport.nio.ClientGroup;
import org.stratum4j.transport.nio.StratumClient;
import org.stratum4j.transport.nio.StratumServer;

public final class Main {
    public static void main(String[] args) throws Exception {
        PoolEngine engine = PoolEngine.builder().clock(Clock.systemUTC())
                .payouts(t -> List.of(CoinbaseOutput.of(t.coinbaseValue(), new byte[] {0x51})))
                .blockSubmitter(b -> CompletableFuture.completedFuture(Optional.empty())).build();
        StratumServer server = StratumServer.builder(engine).listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build();
        server.start();
        long now = System.currentTimeMillis() / 1000;
        server.announce(engine.newTemplate(BlockTemplate.builder().previousBlockHash(Sha256Hash.fromInternalBytes(new byte[32]))
                .bits(CompactBits.of(0x207fffff)).height(900_001).curTime(now).minTime(now - 600).coinbaseValue(312_500_000L).build()));
        CompletableFuture<Notify> job = new CompletableFuture<>();
        try (ClientGroup group = ClientGroup.start(1)) {
            StratumClient client = group.connect(server.boundAddresses().get(0), new StratumClient.Listener() {
                @Override
                public void onNotify(StratumClient c, Notify n) {
                    job.complete(n);
                }
            }).get(10, TimeUnit.SECONDS);
            client.subscribe("consumer/1").get(10, TimeUnit.SECONDS);
            Notify n = job.get(10, TimeUnit.SECONDS);
            System.out.println("consumer: " + Main.class.getModule() + " got job " + n.jobId() + " from " + PoolEngine.class.getModule()
                    + " and " + StratumServer.class.getModule());
        } finally {
            server.close();
        }
    }
}
JAVA
cd "$work"
"$root/mvnw" -q -Dmaven.repo.local="$work/m2" package dependency:build-classpath -Dmdep.outputFile="$work/modules.txt"
line=$(java --module-path "$(cat "$work/modules.txt"):$work/target/classes" --module consumer/consumer.Main)
echo "$line"
[[ $line == *"module consumer got job"*"module org.stratum4j.core and module org.stratum4j.transport.nio" ]]
# The examples on the module path: an automatic module that needs its JDK modules named.
cd "$root"
./mvnw -q -pl stratum-examples org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$work/examples-modules.txt"
help=$(java --module-path "$(cat "$work/examples-modules.txt"):$(ls stratum-examples/target/stratum-examples-*.jar | grep -v sources | head -1)" \
  --add-modules ALL-MODULE-PATH,java.sql,java.net.http,jdk.httpserver \
  --module org.stratum4j.examples/org.stratum4j.examples.pool.PoolMain --help)
[[ $help == "Usage: java -jar stratum-example-pool.jar"* ]]
echo "examples: PoolMain answers --help from the module path (module org.stratum4j.examples)"
