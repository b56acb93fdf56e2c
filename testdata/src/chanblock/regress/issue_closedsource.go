package regress

import "net"

// closedsource: a producer goroutine forwards every datagram read from a
// socket the caller owns, and exits when the socket is closed (ReadFrom
// returns an error). The caller is the only party that knows the address,
// sends exactly one datagram, receives exactly one value, and closes the
// socket on return (defer), which ends the producer's loop. At most one send
// happens and it is received, so nothing blocks. The pass models the loop as
// an unbounded stream the caller must drain and does not see that closing
// the source stops it. (quic-go sys_conn_oob_test.go:60/82/104/185/208/229,
// integrationtests/self/rtt_test.go, handshake_test.go:537,
// http_shutdown_test.go:468, integrationtests/tools/proxy/proxy_test.go.)
func closedSource() ([]byte, error) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer pc.Close() // stops the producer
	packets := make(chan []byte, 1)
	go func() {
		for {
			buf := make([]byte, 1500)
			n, _, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			packets <- buf[:n] // ok: the deferred pc.Close ends the loop; one datagram, one receive
		}
	}()
	c, err := net.Dial("udp", pc.LocalAddr().String())
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if _, err := c.Write([]byte("ping")); err != nil {
		return nil, err
	}
	return <-packets, nil
}

var _ = noLeak("closedSource", func() {
	if _, err := closedSource(); err != nil {
		panic(err)
	}
})

// The generator form (the channel is returned, the caller closes the source).
func startReader(pc net.PacketConn) <-chan []byte {
	packets := make(chan []byte, 1)
	go func() {
		for {
			buf := make([]byte, 1500)
			n, _, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			packets <- buf[:n] // ok: the caller closes pc, which ends the loop
		}
	}()
	return packets
}

func closedSourceGen() ([]byte, error) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer pc.Close()
	packets := startReader(pc)
	c, err := net.Dial("udp", pc.LocalAddr().String())
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if _, err := c.Write([]byte("ping")); err != nil {
		return nil, err
	}
	return <-packets, nil
}

var _ = noLeak("closedSourceGen", func() {
	if _, err := closedSourceGen(); err != nil {
		panic(err)
	}
})
