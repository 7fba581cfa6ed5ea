# The image the Helm chart runs. Build: mvn -B -DskipTests package && docker build -t zoneguard .
# (Not built in CI here: the machine has no Docker engine.)
FROM eclipse-temurin:17-jre
# mysqldump/mysql clients and zstd for TCP dumps and restores
RUN apt-get update \
 && apt-get install -y --no-install-recommends mariadb-client zstd \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --no-create-home zoneguard
COPY target/zoneguard.jar /opt/zoneguard/zoneguard.jar
USER 10001:10001
ENTRYPOINT ["java", "-jar", "/opt/zoneguard/zoneguard.jar"]
