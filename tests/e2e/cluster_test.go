//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"sigs.k8s.io/yaml"
)

// cluster is an etcd and a kube-apiserver on loopback, the smallest thing
// that answers to the Kubernetes API the way a real control plane does:
// validation, defaulting, admission (pod security included), RBAC and
// server-side apply. There is no kube-controller-manager, scheduler or node,
// so nothing reconciles: Deployments never get pods and namespaces are never
// finalized by a controller. The harness works around both (see
// harnessTransform and finalizeNamespace) without touching the product.
type cluster struct {
	dir            string
	server         string // https://127.0.0.1:<port>
	kubeconfig     string // the admin kubeconfig's text
	kubeconfigPath string
	client         *http.Client
	procs          []*process
}

// process is one child process with its log file.
type process struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan error
}

// logTail returns the last n lines of the process log, for failure messages.
func (p *process) logTail(n int) string {
	data, err := os.ReadFile(p.log)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", p.log, err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// exited reports whether the process has already ended, and how.
func (p *process) exited() (bool, error) {
	select {
	case err := <-p.done:
		// Put it back so stop and later callers see it too.
		p.done <- err
		return true, err
	default:
		return false, nil
	}
}

func startProcess(dir, name, binary string, args ...string) (*process, error) {
	logPath := filepath.Join(dir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Its own process group, so stopping it never signals the test binary.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, log: logPath, done: make(chan error, 1)}
	go func() {
		err := cmd.Wait()
		logFile.Close()
		p.done <- err
	}()
	return p, nil
}

// stop ends the process: SIGTERM, then SIGKILL after ten seconds.
func (p *process) stop() {
	if exited, _ := p.exited(); exited {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startCluster starts etcd and kube-apiserver from binDir, waits until the
// API server reports ready and writes the admin kubeconfig. logf receives one
// line per milestone.
func startCluster(ctx context.Context, binDir, dir string, logf func(string, ...any)) (*cluster, error) {
	c := &cluster{dir: dir}
	certs, err := newPKI(dir)
	if err != nil {
		return nil, fmt.Errorf("certificates: %w", err)
	}

	clientPort, err := freePort()
	if err != nil {
		return nil, err
	}
	peerPort, err := freePort()
	if err != nil {
		return nil, err
	}
	etcdURL := fmt.Sprintf("http://127.0.0.1:%d", clientPort)
	peerURL := fmt.Sprintf("http://127.0.0.1:%d", peerPort)
	start := time.Now()
	etcd, err := startProcess(dir, "etcd", filepath.Join(binDir, "etcd"),
		"--name=e2e",
		"--data-dir="+filepath.Join(dir, "etcd-data"),
		"--listen-client-urls="+etcdURL,
		"--advertise-client-urls="+etcdURL,
		"--listen-peer-urls="+peerURL,
		"--initial-advertise-peer-urls="+peerURL,
		"--initial-cluster=e2e="+peerURL,
		"--log-level=warn",
		// The data is thrown away after the run; skipping fsync keeps a
		// two-core machine from spending the run waiting on the disk.
		"--unsafe-no-fsync=true",
	)
	if err != nil {
		return nil, err
	}
	c.procs = append(c.procs, etcd)
	if err := waitFor(ctx, etcd, 60*time.Second, func() error {
		resp, err := http.Get(etcdURL + "/health")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`"health":"true"`)) {
			return fmt.Errorf("etcd /health: %d %s", resp.StatusCode, body)
		}
		return nil
	}); err != nil {
		c.stop()
		return nil, err
	}
	logf("etcd ready on %s (%s)", etcdURL, since(start))

	securePort, err := freePort()
	if err != nil {
		c.stop()
		return nil, err
	}
	c.server = fmt.Sprintf("https://127.0.0.1:%d", securePort)
	start = time.Now()
	apiserver, err := startProcess(dir, "kube-apiserver", filepath.Join(binDir, "kube-apiserver"),
		"--etcd-servers="+etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		// The endpoint reconciler publishes the advertise address as the
		// "kubernetes" Service's endpoint and refuses a loopback one; nothing
		// here reaches the API through that Service.
		"--endpoint-reconciler-type=none",
		fmt.Sprintf("--secure-port=%d", securePort),
		"--tls-cert-file="+certs.servingCert,
		"--tls-private-key-file="+certs.servingKey,
		"--client-ca-file="+certs.caCert,
		"--authorization-mode=RBAC",
		"--anonymous-auth=false",
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file="+certs.saPublic,
		"--service-account-signing-key-file="+certs.saPrivate,
		// Service IPs are only allocated, never routed (nothing here runs
		// kube-proxy); a documentation range makes that plain.
		"--service-cluster-ip-range=192.0.2.0/24",
		"--profiling=false",
	)
	if err != nil {
		c.stop()
		return nil, err
	}
	c.procs = append(c.procs, apiserver)

	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certs.caPEM)
	admin, err := tls.X509KeyPair(certs.adminCertPEM, certs.adminKeyPEM)
	if err != nil {
		c.stop()
		return nil, err
	}
	c.client = &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{
			RootCAs: pool, Certificates: []tls.Certificate{admin}, MinVersion: tls.VersionTLS12,
		}},
	}
	if err := waitFor(ctx, apiserver, 3*time.Minute, func() error {
		status, body, err := c.do(ctx, http.MethodGet, "/readyz", nil)
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return fmt.Errorf("/readyz: %d %s", status, body)
		}
		return nil
	}); err != nil {
		c.stop()
		return nil, err
	}
	logf("kube-apiserver ready on %s (%s)", c.server, since(start))

	c.kubeconfig, err = adminKubeconfig(c.server, certs)
	if err != nil {
		c.stop()
		return nil, err
	}
	c.kubeconfigPath = filepath.Join(dir, "admin.kubeconfig")
	if err := os.WriteFile(c.kubeconfigPath, []byte(c.kubeconfig), 0o600); err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

// waitFor polls check until it succeeds, the process dies or the timeout
// passes; failures carry the last check error and the process log's tail.
func waitFor(ctx context.Context, p *process, timeout time.Duration, check func() error) error {
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		if exited, err := p.exited(); exited {
			return fmt.Errorf("%s exited before it was ready (%v); its log ends:\n%s", p.name, err, p.logTail(30))
		}
		if last = check(); last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s not ready after %s (last check: %v); its log ends:\n%s", p.name, timeout, last, p.logTail(30))
}

func (c *cluster) stop() {
	// Reverse order: the API server first, then its storage.
	for i := len(c.procs) - 1; i >= 0; i-- {
		c.procs[i].stop()
	}
}

// do sends one request to the API server with the admin credential.
func (c *cluster) do(ctx context.Context, method, path string, body any) (int, []byte, error) {
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.server+path, reader)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

// kubeconfig is the part of the kubeconfig format the harness writes.
type kubeconfig struct {
	APIVersion     string              `json:"apiVersion"`
	Kind           string              `json:"kind"`
	CurrentContext string              `json:"current-context"`
	Clusters       []namedKubeCluster  `json:"clusters"`
	Users          []namedKubeUser     `json:"users"`
	Contexts       []namedKubeContext  `json:"contexts"`
	Preferences    map[string]struct{} `json:"preferences"`
}

type namedKubeCluster struct {
	Name    string `json:"name"`
	Cluster struct {
		Server                   string `json:"server"`
		CertificateAuthorityData []byte `json:"certificate-authority-data"`
	} `json:"cluster"`
}

type namedKubeUser struct {
	Name string `json:"name"`
	User struct {
		ClientCertificateData []byte `json:"client-certificate-data"`
		ClientKeyData         []byte `json:"client-key-data"`
	} `json:"user"`
}

type namedKubeContext struct {
	Name    string `json:"name"`
	Context struct {
		Cluster string `json:"cluster"`
		User    string `json:"user"`
	} `json:"context"`
}

// adminKubeconfig renders the kubeconfig of the admin certificate. []byte
// fields marshal as base64, which is what the *-data keys hold.
func adminKubeconfig(server string, certs *pki) (string, error) {
	const name = "cutover-e2e"
	kc := kubeconfig{APIVersion: "v1", Kind: "Config", CurrentContext: name, Preferences: map[string]struct{}{}}
	var cl namedKubeCluster
	cl.Name = name
	cl.Cluster.Server = server
	cl.Cluster.CertificateAuthorityData = certs.caPEM
	var u namedKubeUser
	u.Name = name + "-admin"
	u.User.ClientCertificateData = certs.adminCertPEM
	u.User.ClientKeyData = certs.adminKeyPEM
	var cx namedKubeContext
	cx.Name = name
	cx.Context.Cluster = name
	cx.Context.User = u.Name
	kc.Clusters, kc.Users, kc.Contexts = []namedKubeCluster{cl}, []namedKubeUser{u}, []namedKubeContext{cx}
	data, err := yaml.Marshal(kc)
	return string(data), err
}

// namespacedKinds are the collection paths of every kind the workload layer
// creates inside its namespace, used to prove that destroy left nothing.
var namespacedKinds = []string{
	"/api/v1/namespaces/%s/serviceaccounts",
	"/api/v1/namespaces/%s/services",
	"/apis/apps/v1/namespaces/%s/deployments",
	"/apis/autoscaling/v2/namespaces/%s/horizontalpodautoscalers",
	"/apis/policy/v1/namespaces/%s/poddisruptionbudgets",
	"/apis/networking.k8s.io/v1/namespaces/%s/networkpolicies",
}

// listNames returns the names of the objects in one collection.
func (c *cluster) listNames(ctx context.Context, path string) ([]string, error) {
	status, body, err := c.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d %s", path, status, body)
	}
	var list struct {
		Items []struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, err
	}
	names := make([]string, len(list.Items))
	for i, item := range list.Items {
		names[i] = item.Metadata.Name
	}
	return names, nil
}

// leftovers lists "<collection>/<name>" for every workload object still in ns.
func (c *cluster) leftovers(ctx context.Context, ns string) ([]string, error) {
	var out []string
	for _, pattern := range namespacedKinds {
		path := fmt.Sprintf(pattern, ns)
		names, err := c.listNames(ctx, path)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			out = append(out, path+"/"+n)
		}
	}
	return out, nil
}

// errNamespaceNotTerminating is returned when finalizeNamespace finds a live
// namespace: destroy should have deleted it.
var errNamespaceNotTerminating = errors.New("namespace is not being deleted")

// finalizeNamespace does the namespace controller's last step for a namespace
// that destroy deleted: once it is empty, clear its "kubernetes" finalizer so
// the API server removes it. Without kube-controller-manager the namespace
// would stay Terminating forever, and the next stack's namespace of the same
// name could not be created.
func (c *cluster) finalizeNamespace(ctx context.Context, ns string) error {
	status, body, err := c.do(ctx, http.MethodGet, "/api/v1/namespaces/"+ns, nil)
	if err != nil {
		return err
	}
	if status == http.StatusNotFound {
		return nil
	}
	var obj struct {
		Metadata struct {
			DeletionTimestamp string `json:"deletionTimestamp"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(body, &obj); err != nil {
		return err
	}
	if obj.Metadata.DeletionTimestamp == "" {
		return fmt.Errorf("%s: %w", ns, errNamespaceNotTerminating)
	}
	finalize := map[string]any{
		"apiVersion": "v1", "kind": "Namespace",
		"metadata": map[string]any{"name": ns},
		"spec":     map[string]any{"finalizers": []string{}},
	}
	status, body, err = c.do(ctx, http.MethodPut, "/api/v1/namespaces/"+ns+"/finalize", finalize)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("finalize namespace %s: %d %s", ns, status, body)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		status, _, err = c.do(ctx, http.MethodGet, "/api/v1/namespaces/"+ns, nil)
		if err != nil {
			return err
		}
		if status == http.StatusNotFound {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("namespace %s still present 30s after finalize", ns)
}

// checkPodAdmission asks the API server to admit, as a server-side dry run,
// the pod that the ReplicaSet controller would create from Deployment name:
// its template under the namespace's admission plugins (pod security level,
// service account lookup, limit ranges). A Deployment is accepted even when
// its pods would be refused; without a controller manager nothing would
// notice, so the harness does the controller's first step itself.
func (c *cluster) checkPodAdmission(ctx context.Context, ns, name string) error {
	status, body, err := c.do(ctx, http.MethodGet, "/apis/apps/v1/namespaces/"+ns+"/deployments/"+name, nil)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("deployment %s/%s: %d %s", ns, name, status, body)
	}
	var d struct {
		Spec struct {
			Template struct {
				Metadata map[string]any `json:"metadata"`
				Spec     map[string]any `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(body, &d); err != nil {
		return err
	}
	metadata := map[string]any{}
	for k, v := range d.Spec.Template.Metadata {
		metadata[k] = v
	}
	metadata["name"] = name + "-admission-check"
	pod := map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": d.Spec.Template.Spec}
	status, body, err = c.do(ctx, http.MethodPost, "/api/v1/namespaces/"+ns+"/pods?dryRun=All", pod)
	if err != nil {
		return err
	}
	if status != http.StatusCreated {
		var st struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(body, &st) == nil && st.Message != "" {
			return fmt.Errorf("pod of deployment %s/%s: %d: %s", ns, name, status, st.Message)
		}
		return fmt.Errorf("pod of deployment %s/%s: %d %s", ns, name, status, body)
	}
	return nil
}

func since(t time.Time) string {
	return time.Since(t).Round(100 * time.Millisecond).String()
}
