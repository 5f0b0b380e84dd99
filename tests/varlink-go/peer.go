// peer - an independent varlink peer for khoad, built on Debian's Go varlink
// library (golang-github-varlink-go-dev 0.4.0).
//
// Usage: peer [-strict] IDL_DIR SOCKET
//
// Parses every IDL_DIR/*.varlink with the library's IDL parser, then talks to
// the khoad listening on SOCKET through the library's client and checks that
// it behaves as a varlink service: org.varlink.service.GetInfo and
// GetInterfaceDescription (byte for byte the files in IDL_DIR), the io.khoa.*
// methods, typed domain errors and the standard protocol errors. Every reply's
// parameters are also checked against the IDL (field types, required fields).
//
// Standard output: one line per token, "SERIAL<TAB>CERTSERIAL,CERTSERIAL...",
// then "ok". Progress and diagnostics go to standard error. Exit status 0 when
// every check passed, 1 on the first failure, 2 on wrong usage.
//
// Fields that a reply carries but the IDL does not declare are reported as
// "deviation:" lines; with -strict they fail the run.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/varlink/go/varlink"
	"github.com/varlink/go/varlink/idl"
)

// Reply types, with the field names of proto/io.khoa.Tokens.varlink and
// proto/io.khoa.Daemon.varlink.

type TokenFlags struct {
	Initialized                 bool `json:"initialized"`
	LoginRequired               bool `json:"login_required"`
	ProtectedAuthenticationPath bool `json:"protected_authentication_path"`
	UserPinInitialized          bool `json:"user_pin_initialized"`
	UserPinCountLow             bool `json:"user_pin_count_low"`
	UserPinFinalTry             bool `json:"user_pin_final_try"`
	UserPinLocked               bool `json:"user_pin_locked"`
	UserPinToBeChanged          bool `json:"user_pin_to_be_changed"`
	SoPinCountLow               bool `json:"so_pin_count_low"`
	SoPinFinalTry               bool `json:"so_pin_final_try"`
	SoPinLocked                 bool `json:"so_pin_locked"`
	SoPinToBeChanged            bool `json:"so_pin_to_be_changed"`
}

type Certificate struct {
	Serial        string  `json:"serial"`
	Subject       string  `json:"subject"`
	SubjectCN     *string `json:"subject_cn"`
	Issuer        string  `json:"issuer"`
	IssuerCN      *string `json:"issuer_cn"`
	NotBefore     string  `json:"not_before"`
	NotAfter      string  `json:"not_after"`
	Sha256        string  `json:"sha256"`
	KeyAlgorithm  string  `json:"key_algorithm"`
	KeyBits       int64   `json:"key_bits"`
	ID            string  `json:"id"`
	Label         string  `json:"label"`
	HasPrivateKey bool    `json:"has_private_key"`
}

type Token struct {
	Serial          string        `json:"serial"`
	Label           string        `json:"label"`
	Manufacturer    string        `json:"manufacturer"`
	Model           string        `json:"model"`
	Flags           TokenFlags    `json:"flags"`
	MinPinLength    int64         `json:"min_pin_length"`
	MaxPinLength    int64         `json:"max_pin_length"`
	SlotDescription string        `json:"slot_description"`
	Module          string        `json:"module"`
	Certificates    []Certificate `json:"certificates"`
}

type Module struct {
	Name         string  `json:"name"`
	Path         string  `json:"path"`
	Description  *string `json:"description"`
	Reinitialize bool    `json:"reinitialize"`
	Tokens       int64   `json:"tokens"`
	ScannedAt    *string `json:"scanned_at"`
	Error        *string `json:"error"`
}

type Status struct {
	Version            string   `json:"version"`
	Modules            []Module `json:"modules"`
	SnapshotTime       *string  `json:"snapshot_time"`
	SnapshotAgeSeconds *float64 `json:"snapshot_age_seconds"`
	Tokens             int64    `json:"tokens"`
	Certificates       int64    `json:"certificates"`
	Clients            int64    `json:"clients"`
}

// ------------------------------------------------------------------ output

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "peer: FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func info(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "peer: "+format+"\n", args...)
}

// --------------------------------------------------------------------- IDL

type iface struct {
	file string   // path it was read from
	name string   // interface name as written in the file (e.g. io.khoa.Tokens)
	text string   // the file's bytes, unchanged
	idl  *idl.IDL // parsed from the text with a lowercased interface line
}

var interfaceLine = regexp.MustCompile(`(?m)^interface[ \t]+([A-Za-z0-9.-]+)`)

// parseIDL parses a varlink interface description with the 0.4.0 parser,
// which only accepts lowercase interface names: the interface line (and only
// that line) is lowercased first. Returns the name as written.
func parseIDL(text string) (*idl.IDL, string, error) {
	m := interfaceLine.FindStringSubmatch(text)
	if m == nil {
		return nil, "", errors.New("no interface line")
	}
	lowered := interfaceLine.ReplaceAllStringFunc(text, strings.ToLower)
	parsed, err := idl.New(lowered)
	if err != nil {
		return nil, m[1], err
	}
	if parsed.Name != strings.ToLower(m[1]) {
		return nil, m[1], fmt.Errorf("parser read interface name %q from a file declaring %q", parsed.Name, m[1])
	}
	return parsed, m[1], nil
}

func loadIDLs(dir string) map[string]*iface {
	files, err := filepath.Glob(filepath.Join(dir, "*.varlink"))
	if err != nil || len(files) == 0 {
		fail("no *.varlink files in %s", dir)
	}
	sort.Strings(files)
	out := map[string]*iface{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fail("%v", err)
		}
		parsed, name, err := parseIDL(string(b))
		if err != nil {
			fail("%s does not parse as varlink IDL (github.com/varlink/go/varlink/idl): %v", f, err)
		}
		if prev, dup := out[name]; dup {
			fail("%s and %s both declare interface %s", prev.file, f, name)
		}
		if want := name + ".varlink"; filepath.Base(f) != want {
			fail("%s declares interface %s; the file should be named %s", f, name, want)
		}
		out[name] = &iface{file: f, name: name, text: string(b), idl: parsed}
		info("parsed %s: interface %s, %d types, %d methods, %d errors",
			filepath.Base(f), name, len(parsed.Aliases), len(parsed.Methods), len(parsed.Errors))
	}
	return out
}

// --------------------------------------------------- reply checks against IDL

type checker struct {
	ifaces     map[string]*iface
	strict     bool
	deviations []string
}

func (c *checker) deviation(format string, args ...interface{}) {
	msg := fmt.Sprintf(format, args...)
	c.deviations = append(c.deviations, msg)
	if c.strict {
		fail("deviation: %s", msg)
	}
	info("deviation: %s", msg)
}

// split "io.khoa.Tokens.List" into the interface and the member name.
func splitQualified(q string) (string, string) {
	i := strings.LastIndexByte(q, '.')
	if i < 0 {
		return "", q
	}
	return q[:i], q[i+1:]
}

func (c *checker) lookup(qualified string) (*iface, string) {
	in, member := splitQualified(qualified)
	f := c.ifaces[in]
	if f == nil {
		fail("%s: interface %s is not in the IDL directory", qualified, in)
	}
	return f, member
}

// decodeParams turns raw parameters into generic JSON values, keeping numbers
// as written so that int and float can be told apart.
func decodeParams(raw []byte) (map[string]interface{}, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return map[string]interface{}{}, nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v interface{}
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	m, ok := v.(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("parameters are %s, not an object", jsonKind(v))
	}
	return m, nil
}

func jsonKind(v interface{}) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []interface{}:
		return "an array"
	case map[string]interface{}:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// value checks v against type t of interface f; path names it in messages.
func (c *checker) value(f *iface, t *idl.Type, v interface{}, path string) error {
	if t == nil {
		return fmt.Errorf("%s: IDL type missing", path)
	}
	if t.Kind == idl.TypeMaybe {
		if v == nil {
			return nil
		}
		return c.value(f, t.ElementType, v, path)
	}
	if v == nil {
		return fmt.Errorf("%s is null but its type is not nullable", path)
	}
	switch t.Kind {
	case idl.TypeBool:
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s is %s, IDL says bool", path, jsonKind(v))
		}
	case idl.TypeInt:
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("%s is %s, IDL says int", path, jsonKind(v))
		}
		if _, err := strconv.ParseInt(string(n), 10, 64); err != nil {
			return fmt.Errorf("%s is %s, IDL says int (not a 64-bit integer)", path, n)
		}
	case idl.TypeFloat:
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("%s is %s, IDL says float", path, jsonKind(v))
		}
		if _, err := n.Float64(); err != nil {
			return fmt.Errorf("%s is %s, IDL says float", path, n)
		}
	case idl.TypeString:
		if _, ok := v.(string); !ok {
			return fmt.Errorf("%s is %s, IDL says string", path, jsonKind(v))
		}
	case idl.TypeObject:
		if _, ok := v.(map[string]interface{}); !ok {
			return fmt.Errorf("%s is %s, IDL says object", path, jsonKind(v))
		}
	case idl.TypeArray:
		a, ok := v.([]interface{})
		if !ok {
			return fmt.Errorf("%s is %s, IDL says array", path, jsonKind(v))
		}
		for i, e := range a {
			if err := c.value(f, t.ElementType, e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case idl.TypeMap:
		m, ok := v.(map[string]interface{})
		if !ok {
			return fmt.Errorf("%s is %s, IDL says [string]map", path, jsonKind(v))
		}
		for k, e := range m {
			if err := c.value(f, t.ElementType, e, fmt.Sprintf("%s[%q]", path, k)); err != nil {
				return err
			}
		}
	case idl.TypeEnum:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s is %s, IDL says enum", path, jsonKind(v))
		}
		for _, fl := range t.Fields {
			if fl.Name == s {
				return nil
			}
		}
		return fmt.Errorf("%s is %q, not a value of its enum", path, s)
	case idl.TypeStruct:
		m, ok := v.(map[string]interface{})
		if !ok {
			return fmt.Errorf("%s is %s, IDL says object", path, jsonKind(v))
		}
		return c.object(f, t, m, path)
	case idl.TypeAlias:
		for _, a := range f.idl.Aliases {
			if a.Name == t.Alias {
				return c.value(f, a.Type, v, path)
			}
		}
		return fmt.Errorf("%s: type %s is not declared in %s", path, t.Alias, f.name)
	default:
		return fmt.Errorf("%s: unknown IDL type kind %d", path, t.Kind)
	}
	return nil
}

// object checks the members of a struct: required fields present, declared
// fields well typed; undeclared fields are deviations.
func (c *checker) object(f *iface, t *idl.Type, m map[string]interface{}, path string) error {
	declared := map[string]bool{}
	var fields []idl.TypeField
	if t != nil {
		fields = t.Fields
	}
	for _, fl := range fields {
		declared[fl.Name] = true
		v, present := m[fl.Name]
		if !present {
			if fl.Type.Kind == idl.TypeMaybe {
				continue
			}
			return fmt.Errorf("%s.%s is missing (required by the IDL)", path, fl.Name)
		}
		if err := c.value(f, fl.Type, v, path+"."+fl.Name); err != nil {
			return err
		}
	}
	var extra []string
	for k := range m {
		if !declared[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		c.deviation("%s.%s is not declared in %s", path, k, filepath.Base(f.file))
	}
	return nil
}

func (c *checker) methodReply(method string, raw []byte) {
	f, name := c.lookup(method)
	for _, m := range f.idl.Methods {
		if m.Name == name {
			params, err := decodeParams(raw)
			if err != nil {
				fail("%s reply: %v", method, err)
			}
			if err := c.object(f, m.Out, params, method+" reply"); err != nil {
				fail("%s", err)
			}
			return
		}
	}
	fail("%s is not declared in %s", method, f.file)
}

func (c *checker) errorReply(name string, raw []byte) {
	f, member := c.lookup(name)
	for _, e := range f.idl.Errors {
		if e.Name == member {
			params, err := decodeParams(raw)
			if err != nil {
				fail("error %s: %v", name, err)
			}
			if err := c.object(f, e.Type, params, "error "+name); err != nil {
				fail("%s", err)
			}
			return
		}
	}
	fail("error %s is not declared in %s", name, f.file)
}

// -------------------------------------------------------------- the calls

type peer struct {
	ctx  context.Context
	conn *varlink.Connection
	chk  *checker
}

// call makes a method call through the library and checks the reply against
// the IDL before decoding it into out (if not nil). The library itself
// ignores decoding errors, so the reply is taken raw and decoded here.
func (p *peer) call(method string, in interface{}, out interface{}) error {
	var raw json.RawMessage
	if err := p.conn.Call(p.ctx, method, in, &raw); err != nil {
		return err
	}
	p.chk.methodReply(method, raw)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			fail("%s reply does not decode into Go types: %v\n  reply: %s", method, err, raw)
		}
	}
	return nil
}

// mustCall is call that fails the run on any error reply.
func (p *peer) mustCall(method string, in interface{}, out interface{}) {
	if err := p.call(method, in, out); err != nil {
		fail("%s: %s", method, describe(err))
	}
}

func describe(err error) string {
	var ve *varlink.Error
	if errors.As(err, &ve) {
		if raw, ok := ve.Parameters.(*json.RawMessage); ok && raw != nil {
			return fmt.Sprintf("error %s %s", ve.Name, string(*raw))
		}
		return "error " + ve.Name
	}
	return fmt.Sprintf("%v (%T)", err, err)
}

// rawCall sends one call on a fresh plain socket connection and returns the
// reply's error name and raw parameters, bypassing the library: it dispatches
// the standard org.varlink.service errors into Go types and drops their
// parameters, which then cannot be checked against the IDL.
func rawCall(ctx context.Context, socket, method string, params interface{}) (string, []byte) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		fail("raw connection to %s: %v", socket, err)
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	b, _ := json.Marshal(map[string]interface{}{"method": method, "parameters": params})
	if _, err := c.Write(append(b, 0)); err != nil {
		fail("raw call %s: %v", method, err)
	}
	var buf []byte
	chunk := make([]byte, 4096)
	for bytes.IndexByte(buf, 0) < 0 {
		n, err := c.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if err != nil && bytes.IndexByte(buf, 0) < 0 {
			fail("raw call %s: no complete reply: %v", method, err)
		}
	}
	var reply struct {
		Error      string          `json:"error"`
		Parameters json.RawMessage `json:"parameters"`
	}
	msg := buf[:bytes.IndexByte(buf, 0)]
	if err := json.Unmarshal(msg, &reply); err != nil {
		fail("raw call %s: reply is not JSON: %v: %q", method, err, msg)
	}
	return reply.Error, reply.Parameters
}

func main() {
	strict := flag.Bool("strict", false, "fail on reply fields the IDL does not declare")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: peer [-strict] IDL_DIR SOCKET\n")
	}
	flag.Parse()
	if flag.NArg() != 2 {
		flag.Usage()
		os.Exit(2)
	}
	idlDir, socket := flag.Arg(0), flag.Arg(1)

	ifaces := loadIDLs(idlDir)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := varlink.NewConnection(ctx, "unix:"+socket)
	if err != nil {
		fail("cannot connect to unix:%s: %v", socket, err)
	}
	defer conn.Close()
	p := &peer{ctx: ctx, conn: conn, chk: &checker{ifaces: ifaces, strict: *strict}}

	// org.varlink.service.GetInfo, through the library's helper (it sends
	// "parameters": null) and through a plain call (checked against the IDL).
	var vendor, product, version, url string
	var listed []string
	if err := conn.GetInfo(ctx, &vendor, &product, &version, &url, &listed); err != nil {
		fail("org.varlink.service.GetInfo: %s", describe(err))
	}
	p.mustCall("org.varlink.service.GetInfo", struct{}{}, nil)
	if vendor != "khoa" {
		fail("GetInfo: vendor %q, want \"khoa\"", vendor)
	}
	info("GetInfo: vendor %q product %q version %q url %q interfaces %v", vendor, product, version, url, listed)
	have := map[string]bool{}
	for _, n := range listed {
		if have[n] {
			fail("GetInfo lists interface %s twice", n)
		}
		have[n] = true
	}
	for _, n := range []string{"io.khoa", "io.khoa.Tokens", "io.khoa.Certificates", "io.khoa.Daemon", "org.varlink.service"} {
		if !have[n] {
			fail("GetInfo: interface %s not listed (got %v)", n, listed)
		}
	}
	for n, f := range ifaces {
		if !have[n] {
			fail("GetInfo does not list interface %s of %s", n, f.file)
		}
	}

	// org.varlink.service.GetInterfaceDescription for every listed interface.
	for _, n := range listed {
		f := ifaces[n]
		if f == nil {
			fail("GetInfo lists interface %s, which has no file in %s", n, idlDir)
		}
		desc, err := conn.GetInterfaceDescription(ctx, n)
		if err != nil {
			fail("GetInterfaceDescription(%s): %s", n, describe(err))
		}
		if desc != f.text {
			i := 0
			for i < len(desc) && i < len(f.text) && desc[i] == f.text[i] {
				i++
			}
			fail("GetInterfaceDescription(%s) differs from %s at byte %d (%d bytes vs %d)",
				n, f.file, i, len(desc), len(f.text))
		}
		if _, got, err := parseIDL(desc); err != nil || got != n {
			fail("GetInterfaceDescription(%s): description does not parse (%v; interface %q)", n, err, got)
		}
		info("GetInterfaceDescription(%s): %d bytes, identical to %s, parses", n, len(desc), filepath.Base(f.file))
	}
	if _, err := conn.GetInterfaceDescription(ctx, "io.khoa.NoSuchInterface"); err == nil {
		fail("GetInterfaceDescription(io.khoa.NoSuchInterface) succeeded")
	} else {
		var nf *varlink.InterfaceNotFound
		if !errors.As(err, &nf) {
			fail("GetInterfaceDescription(io.khoa.NoSuchInterface): %s, want org.varlink.service.InterfaceNotFound", describe(err))
		}
		info("GetInterfaceDescription(io.khoa.NoSuchInterface): org.varlink.service.InterfaceNotFound (interface %q)", nf.Interface)
	}

	// io.khoa.Ping
	var ping struct {
		Version string `json:"version"`
	}
	p.mustCall("io.khoa.Ping", struct{}{}, &ping)
	info("io.khoa.Ping: version %q", ping.Version)

	// io.khoa.Tokens.List
	var list struct {
		Tokens []Token `json:"tokens"`
	}
	p.mustCall("io.khoa.Tokens.List", struct{}{}, &list)
	ncerts := 0
	var lines []string
	for _, t := range list.Tokens {
		serials := make([]string, 0, len(t.Certificates))
		for _, c := range t.Certificates {
			serials = append(serials, c.Serial)
		}
		ncerts += len(t.Certificates)
		lines = append(lines, t.Serial+"\t"+strings.Join(serials, ","))
	}
	info("io.khoa.Tokens.List: %d tokens, %d certificates", len(list.Tokens), ncerts)

	// io.khoa.Tokens.Get: a present token, then a missing one.
	if len(list.Tokens) > 0 {
		want := list.Tokens[0]
		var got struct {
			Token Token `json:"token"`
		}
		p.mustCall("io.khoa.Tokens.Get", map[string]string{"serial": want.Serial}, &got)
		if got.Token.Serial != want.Serial || len(got.Token.Certificates) != len(want.Certificates) {
			fail("io.khoa.Tokens.Get(%q) answered token %q with %d certificates, List said %d",
				want.Serial, got.Token.Serial, len(got.Token.Certificates), len(want.Certificates))
		}
		info("io.khoa.Tokens.Get(%q): %q", want.Serial, got.Token.Label)
	}
	err = p.call("io.khoa.Tokens.Get", map[string]string{"serial": "no-such-serial"}, nil)
	var ve *varlink.Error
	switch {
	case err == nil:
		fail("io.khoa.Tokens.Get(no-such-serial) succeeded, want error io.khoa.NoSuchToken")
	case !errors.As(err, &ve) || ve.Name != "io.khoa.NoSuchToken":
		fail("io.khoa.Tokens.Get(no-such-serial): %s, want error io.khoa.NoSuchToken", describe(err))
	}
	raw, _ := ve.Parameters.(*json.RawMessage)
	if raw == nil {
		fail("error io.khoa.NoSuchToken has no parameters (IDL: serial, message)")
	}
	p.chk.errorReply(ve.Name, *raw)
	var nst struct {
		Serial  string `json:"serial"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(*raw, &nst); err != nil || nst.Serial != "no-such-serial" {
		fail("error io.khoa.NoSuchToken parameters %s: want serial \"no-such-serial\" (%v)", *raw, err)
	}
	info("io.khoa.Tokens.Get(no-such-serial): io.khoa.NoSuchToken %s", *raw)

	// An unknown method of a known interface.
	err = p.call("io.khoa.Tokens.Nope", struct{}{}, nil)
	var mnf *varlink.MethodNotFound
	switch {
	case err == nil:
		fail("io.khoa.Tokens.Nope succeeded, want error org.varlink.service.MethodNotFound")
	case !errors.As(err, &mnf):
		fail("io.khoa.Tokens.Nope: %s, want error org.varlink.service.MethodNotFound", describe(err))
	case mnf.Method != "io.khoa.Tokens.Nope":
		fail("org.varlink.service.MethodNotFound names method %q, want io.khoa.Tokens.Nope", mnf.Method)
	}
	info("io.khoa.Tokens.Nope: org.varlink.service.MethodNotFound (method %q)", mnf.Method)

	// A parameter of the wrong type: the standard InvalidParameter error.
	err = p.call("io.khoa.Tokens.Get", map[string]int{"serial": 5}, nil)
	var ip *varlink.InvalidParameter
	switch {
	case err == nil:
		fail("io.khoa.Tokens.Get(serial: 5) succeeded, want error org.varlink.service.InvalidParameter")
	case !errors.As(err, &ip):
		fail("io.khoa.Tokens.Get(serial: 5): %s, want error org.varlink.service.InvalidParameter", describe(err))
	case ip.Parameter != "serial":
		fail("org.varlink.service.InvalidParameter names parameter %q, want \"serial\"", ip.Parameter)
	}
	info("io.khoa.Tokens.Get(serial: 5): org.varlink.service.InvalidParameter (parameter %q)", ip.Parameter)

	// The library keeps only the Go-typed fields of the standard errors;
	// check their parameters as sent against org.varlink.service.varlink.
	for _, c := range []struct {
		method, want string
		params       interface{}
	}{
		{"io.khoa.Tokens.Nope", "org.varlink.service.MethodNotFound", struct{}{}},
		{"org.varlink.service.GetInterfaceDescription", "org.varlink.service.InterfaceNotFound",
			map[string]string{"interface": "io.khoa.NoSuchInterface"}},
		{"io.khoa.Tokens.Get", "org.varlink.service.InvalidParameter", map[string]int{"serial": 5}},
	} {
		name, params := rawCall(ctx, socket, c.method, c.params)
		if name != c.want {
			fail("%s (plain socket): error %q, want %s", c.method, name, c.want)
		}
		p.chk.errorReply(name, params)
	}

	// "oneway": no reply; the next call on the connection gets its own.
	if _, err := conn.Send(ctx, "io.khoa.Ping", nil, varlink.Oneway); err != nil {
		fail("oneway io.khoa.Ping: %v", err)
	}
	if desc, err := conn.GetInterfaceDescription(ctx, "io.khoa"); err != nil || desc != ifaces["io.khoa"].text {
		fail("after a oneway io.khoa.Ping the next reply is not GetInterfaceDescription's (%v): a reply to the oneway call?", err)
	}
	info("oneway io.khoa.Ping: no reply")

	// "more" on a method that answers once: replies end with one without
	// "continues".
	recv, err := conn.Send(ctx, "io.khoa.Tokens.List", struct{}{}, varlink.More)
	if err != nil {
		fail("io.khoa.Tokens.List with more: %v", err)
	}
	for n := 1; ; n++ {
		var raw json.RawMessage
		flags, err := recv(ctx, &raw)
		if err != nil {
			fail("io.khoa.Tokens.List with more, reply %d: %s", n, describe(err))
		}
		p.chk.methodReply("io.khoa.Tokens.List", raw)
		if flags&varlink.Continues == 0 {
			info("io.khoa.Tokens.List with more: %d reply(ies)", n)
			break
		}
		if n == 100 {
			fail("io.khoa.Tokens.List with more: still continuing after %d replies", n)
		}
	}

	// io.khoa.Certificates.List
	var certs struct {
		Certificates []json.RawMessage `json:"certificates"`
	}
	p.mustCall("io.khoa.Certificates.List", struct{}{}, &certs)
	if len(certs.Certificates) != ncerts {
		fail("io.khoa.Certificates.List: %d certificates, io.khoa.Tokens.List has %d", len(certs.Certificates), ncerts)
	}
	info("io.khoa.Certificates.List: %d certificates", len(certs.Certificates))

	// io.khoa.Daemon.Status
	var st Status
	p.mustCall("io.khoa.Daemon.Status", struct{}{}, &st)
	if st.Tokens != int64(len(list.Tokens)) || st.Certificates != int64(ncerts) {
		fail("io.khoa.Daemon.Status: %d tokens, %d certificates; io.khoa.Tokens.List has %d and %d",
			st.Tokens, st.Certificates, len(list.Tokens), ncerts)
	}
	if len(st.Modules) == 0 {
		fail("io.khoa.Daemon.Status: no modules")
	}
	for _, m := range st.Modules {
		if m.Error != nil {
			fail("io.khoa.Daemon.Status: module %s: %s", m.Name, *m.Error)
		}
	}
	info("io.khoa.Daemon.Status: version %q, %d modules, %d tokens, %d certificates, %d clients",
		st.Version, len(st.Modules), st.Tokens, st.Certificates, st.Clients)
	if st.Version != version || ping.Version != version {
		fail("versions differ: GetInfo %q, io.khoa.Ping %q, io.khoa.Daemon.Status %q", version, ping.Version, st.Version)
	}

	if n := len(p.chk.deviations); n > 0 {
		info("%d deviation(s) from the IDL, tolerated without -strict", n)
	}
	for _, l := range lines {
		fmt.Println(l)
	}
	fmt.Println("ok")
}
