package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/posbridge/posbridge/internal/connuri"
)

// LoadOptions say where to look for the config file and what may stand in
// when there is none.
type LoadOptions struct {
	// Path is the --config flag; "" discovers ./posbridge.yaml, then
	// DefaultConfigPath().
	Path string
	// Service is set for the OS service: it never falls back to the sandbox,
	// and relative paths outside a config file start at ServiceBaseDir().
	Service bool
	// AllowSandbox lets an interactive run without any config file use Sandbox().
	AllowSandbox bool
	// Env is the environment (KEY=value); nil means os.Environ().
	Env []string
	// Search replaces the discovery list used when Path is ""; nil means
	// ./posbridge.yaml (ServiceBaseDir() for the service), then SystemPath.
	Search []string
	// SystemPath replaces DefaultConfigPath() in the discovery list: tests
	// point it into a temporary folder, so that they never read the
	// machine's /etc/posbridge (a store PC's real config).
	SystemPath string
	// Settings stands in for the settings layer on disk: a candidate edit
	// is loaded and validated before it is written. nil reads the file.
	Settings []byte
}

// ErrNotFound is matched (errors.Is) by the error Load returns when there is no config file.
var ErrNotFound = errors.New("no config file found")

// NotFoundError says where Load looked and how to create a config file.
type NotFoundError struct {
	Searched []string
	Explicit bool // the file was named with --config
}

func (e *NotFoundError) Error() string {
	if e.Explicit {
		return fmt.Sprintf("config file %s does not exist: create it with `posbridge config init %s`, or fix the --config path", e.Searched[0], e.Searched[0])
	}
	return fmt.Sprintf("no config file found (looked for %s): create one with `posbridge config init %s` and edit it, or pass --config FILE",
		strings.Join(e.Searched, ", "), e.Searched[len(e.Searched)-1])
}

func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// Load finds, reads, defaults and decodes the configuration. Problems that
// still let the file be read (unknown keys, bad values) are not errors here:
// Validate returns them together with every other problem.
func Load(opts LoadOptions) (*Config, error) {
	env := envMap(opts.Env)
	path, err := locate(opts)
	var nf *NotFoundError
	if errors.As(err, &nf) && !nf.Explicit && opts.AllowSandbox && !opts.Service {
		cwd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("sandbox: find the working directory: %w", err)
		}
		return loadSandbox(env, cwd, opts.Settings)
	}
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config file: %w (check the path and that this account may read it)", err)
	}
	return loadLayers(data, path, env, opts.Settings)
}

// locate returns the absolute path of the config file to read.
func locate(opts LoadOptions) (string, error) {
	base, err := os.Getwd()
	if opts.Service || err != nil {
		base = ServiceBaseDir()
	}
	if opts.Path != "" {
		p := resolvePath(base, opts.Path)
		info, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "", &NotFoundError{Searched: []string{p}, Explicit: true}
		case err != nil:
			return "", fmt.Errorf("config file: %w (check that this account may read it)", err)
		case info.IsDir():
			return "", fmt.Errorf("config file %s is a folder: name the file, like %s", p, filepath.Join(p, FileName))
		}
		return p, nil
	}
	search := opts.Search
	if search == nil {
		system := opts.SystemPath
		if system == "" {
			system = DefaultConfigPath()
		}
		search = []string{filepath.Join(base, FileName), system}
	}
	var looked []string
	for _, p := range search {
		p = resolvePath(base, p)
		if containsPath(looked, p) {
			continue
		}
		looked = append(looked, p)
		info, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			// Never fall back to the sandbox past a config file we cannot read.
			return "", fmt.Errorf("config file: %w (check that this account may read it)", err)
		case info.IsDir():
			continue
		}
		return p, nil
	}
	return "", &NotFoundError{Searched: looked}
}

func containsPath(ps []string, p string) bool {
	for _, q := range ps {
		if samePath(q, p) {
			return true
		}
	}
	return false
}

// loadBytes decodes a config file's content; path names it and anchors its
// relative paths. The settings layer (data_dir/settings.yaml, what the
// console wrote) is merged over it when it exists.
func loadBytes(data []byte, path string, env map[string]string) (*Config, error) {
	return loadLayers(data, path, env, nil)
}

// loadLayers is loadBytes with the settings layer given: nil reads it from
// data_dir, anything else (a candidate edit) stands in for it.
func loadLayers(data []byte, path string, env map[string]string, settings []byte) (*Config, error) {
	root, err := parseRoot(data, path)
	if err != nil {
		return nil, err
	}
	c, err := decodeRoot(root, path, env)
	if err != nil {
		return nil, err
	}
	layer, sroot, err := readSettingsLayer(c.DataDir, settings)
	if err != nil || sroot == nil {
		return c, err
	}
	// Parsed again: decodeRoot pruned and rewrote the first tree.
	root, _ = parseRoot(data, path)
	dropped := dropUnlayered(sroot)
	mergeNode(root, sroot)
	c, err = decodeRoot(root, path, env)
	if err != nil {
		return nil, fmt.Errorf("%w (with the settings layer %s)", err, layer)
	}
	c.Settings = layer
	c.loadProblems = append(c.loadProblems, dropped...)
	return c, nil
}

// Reload loads c again the way it was loaded (its file, or the sandbox, and
// the same environment), with settings standing in for the settings layer
// (nil reads it from disk). The daemon applies console edits with it.
func Reload(c *Config, settings []byte) (*Config, error) {
	if c.Sandbox {
		return loadSandbox(c.env, c.base, settings)
	}
	if c.File == "" {
		return nil, errors.New("this configuration was not loaded from a file")
	}
	data, err := os.ReadFile(c.File)
	if err != nil {
		return nil, fmt.Errorf("read config file: %w", err)
	}
	return loadLayers(data, c.File, c.env, settings)
}

// parseRoot parses a YAML document that must be a mapping (or empty).
func parseRoot(data []byte, path string) (*yaml.Node, error) {
	// Notepad saves UTF-8 with a byte order mark.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		hint := "fix the line it names"
		if strings.Contains(err.Error(), "cannot start any token") {
			hint = "indent with spaces, never tabs"
		}
		return nil, fmt.Errorf("config file %s is not valid YAML: %w (%s)", path, err, hint)
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if len(doc.Content) > 0 {
		root = deref(doc.Content[0])
	}
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		root = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("config file %s must consist of \"key: value\" lines (see `posbridge config init`)", path)
	}
	return root, nil
}

// decodeRoot checks and decodes a parsed config tree read from path.
func decodeRoot(root *yaml.Node, path string, env map[string]string) (*Config, error) {
	tc := newTreeCheck()
	tc.walkStruct(root, reflect.TypeFor[Config](), "")
	raw := map[string]any{}
	if err := root.Decode(&raw); err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	c, err := decode(raw, Defaults(), env, tc)
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	c.File, c.env = path, env
	if !c.isSet("data_dir") && samePath(path, DefaultConfigPath()) {
		c.DataDir = DefaultDataDir()
	}
	for i := range c.Printers {
		prefix := fmt.Sprintf("printers[%d].", i)
		applyPrinterDefaults(&c.Printers[i], &c.Print, func(key string) bool { return c.isSet(prefix + key) })
	}
	c.resolvePaths(filepath.Dir(path))
	return c, nil
}

// loadSandbox builds the sandbox configuration, with the settings layer in
// its data folder and environment overrides. Stores and printers in the
// layer replace the sandbox's own.
func loadSandbox(env map[string]string, base string, settings []byte) (*Config, error) {
	c, err := sandboxWith(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, env, base)
	if err != nil {
		return nil, err
	}
	layer, sroot, err := readSettingsLayer(c.DataDir, settings)
	if err != nil || sroot == nil {
		return c, err
	}
	dropped := dropUnlayered(sroot)
	if c, err = sandboxWith(sroot, env, base); err != nil {
		return nil, fmt.Errorf("%w (with the settings layer %s)", err, layer)
	}
	c.Settings = layer
	c.loadProblems = append(c.loadProblems, dropped...)
	return c, nil
}

// sandboxWith decodes root over the sandbox's defaults.
func sandboxWith(root *yaml.Node, env map[string]string, base string) (*Config, error) {
	tc := newTreeCheck()
	tc.walkStruct(root, reflect.TypeFor[Config](), "")
	raw := map[string]any{}
	if err := root.Decode(&raw); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	sb := Sandbox()
	c, err := decode(raw, sb, env, tc)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	c.Sandbox, c.env, c.base = true, env, base
	stores, printers := sandboxLists()
	if _, ok := raw["stores"]; !ok {
		c.Stores = stores
	}
	if _, ok := raw["printers"]; !ok {
		c.Printers = printers
	}
	if _, ok := raw["ordering"]; !ok {
		c.Ordering.Restaurants = sb.Ordering.Restaurants // lists are not viper defaults
	}
	for i := range c.Printers {
		prefix := fmt.Sprintf("printers[%d].", i)
		applyPrinterDefaults(&c.Printers[i], &c.Print, func(key string) bool { return c.isSet(prefix + key) })
	}
	c.resolvePaths(base)
	return c, nil
}

// decode layers base (as defaults), the file's keys and the
// environment, and decodes the result into a Config.
func decode(raw map[string]any, base *Config, env map[string]string, tc *treeCheck) (*Config, error) {
	v := settingsTree{}
	bv := reflect.ValueOf(base).Elem()
	for _, l := range scalarLeaves() {
		fv := bv.FieldByIndex(l.index)
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		v.set(l.key, fv.Interface())
	}
	v.set("platform.order_clients", base.Platform.OrderClients)
	v.set("platform.sell_out_channels", base.Platform.SellOutChannels)
	v.merge(raw)
	sources := map[string]string{}
	for key, line := range tc.lines {
		sources[key] = lineSource(line)
	}
	problems := tc.problems
	for _, l := range scalarLeaves() {
		name := l.EnvName()
		s, ok := env[name]
		if !ok || s == "" {
			continue
		}
		val, err := parseEnvValue(strings.TrimSpace(s), l.typ)
		if err != nil {
			problems = append(problems, Problem{Key: l.key, Source: name, Message: err.Error()})
			continue
		}
		v.set(l.key, val)
		sources[l.key] = name
	}
	c := &Config{}
	if err := decodeTree(v, c); err != nil {
		return nil, err
	}
	c.loadProblems = problems
	c.sources = sources
	c.broken = tc.broken
	c.layoutListDefaults(base)
	return c, nil
}

// parseEnvValue converts an environment variable for a key of type t.
func parseEnvValue(s string, t reflect.Type) (any, error) {
	switch kindOf(t) {
	case kindDuration:
		return parseDuration(s)
	case kindBool:
		b, ok := parseBool(s)
		if !ok {
			return nil, fmt.Errorf("must be true or false, not %q", s)
		}
		return b, nil
	case kindInt:
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, fmt.Errorf("must be a whole number, not %q", s)
		}
		return n, nil
	case kindFloat:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("must be a number, not %q", s)
		}
		return f, nil
	default:
		return s, nil
	}
}

func envMap(env []string) map[string]string {
	if env == nil {
		env = os.Environ()
	}
	m := make(map[string]string, len(env))
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "POSBRIDGE_") {
			m[k] = v
		}
	}
	return m
}

// isSet reports whether key was written in the file or the environment.
func (c *Config) isSet(key string) bool {
	_, ok := c.sources[key]
	return ok
}

// resolvePaths makes the file paths of the config absolute against base.
func (c *Config) resolvePaths(base string) {
	c.DataDir = resolvePath(base, c.DataDir)
	c.Log.File = resolvePath(base, c.Log.File)
	c.Platform.PrivateKeyFile = resolvePath(base, c.Platform.PrivateKeyFile)
	c.Platform.PublicKeyFile = resolvePath(base, c.Platform.PublicKeyFile)
	c.Push.TLSCertFile = resolvePath(base, c.Push.TLSCertFile)
	c.Push.TLSKeyFile = resolvePath(base, c.Push.TLSKeyFile)
	c.Ordering.TLSCertFile = resolvePath(base, c.Ordering.TLSCertFile)
	c.Ordering.TLSKeyFile = resolvePath(base, c.Ordering.TLSKeyFile)
	c.Print.Logo = resolvePath(base, c.Print.Logo)
	c.Backup.Dir = resolvePath(base, c.Backup.Dir)
	c.WeChatPay.PrivateKeyFile = resolvePath(base, c.WeChatPay.PrivateKeyFile)
	c.WeChatPay.PublicKeyFile = resolvePath(base, c.WeChatPay.PublicKeyFile)
	for i := range c.Printers {
		p := &c.Printers[i]
		scheme, rest, ok := strings.Cut(p.Connection, "://")
		if ok && strings.EqualFold(scheme, "file") {
			if path := connuri.FilePath(rest); path != "" && !filepath.IsAbs(path) {
				p.Connection = "file://" + filepath.ToSlash(resolvePath(base, path))
			}
		}
	}
}
