package io.zoneguard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiAuditTest {
  @Test
  void requestsMapToRbacVerbsAndResources() {
    assertThat(ApiAudit.permission("GET", "/apis/apps/v1/namespaces/shop/statefulsets/mysql"))
        .isEqualTo("get apps/statefulsets");
    assertThat(ApiAudit.permission("GET", "/api/v1/namespaces/shop/pods?labelSelector=a"))
        .isEqualTo("list pods");
    assertThat(ApiAudit.permission("PATCH", "/api/v1/nodes/node-1")).isEqualTo("patch nodes");
    assertThat(ApiAudit.permission("GET", "/api/v1/namespaces/shop/pods/mysql-0/exec?command=x"))
        .isEqualTo("create pods/exec");
    assertThat(ApiAudit.permission("POST", "/api/v1/namespaces/shop/events"))
        .isEqualTo("create events");
    assertThat(ApiAudit.permission("PUT", "/apis/coordination.k8s.io/v1/namespaces/z/leases/l"))
        .isEqualTo("update coordination.k8s.io/leases");
    assertThat(ApiAudit.permission("DELETE", "/api/v1/persistentvolumes/pv-1"))
        .isEqualTo("delete persistentvolumes");
    assertThat(ApiAudit.permission("GET", "/api/v1/namespaces/shop")).isEqualTo("get namespaces");

    ApiAudit a = new ApiAudit();
    a.record("GET", "/api/v1/namespaces/shop/pods");
    a.record("DELETE", "/apis/apps/v1/namespaces/shop/statefulsets/mysql");
    a.record("POST", "/api/v1/namespaces/shop/pods/mysql-0/exec?command=sh");
    assertThat(a.ungranted()).containsExactly("delete apps/statefulsets");
  }
}
