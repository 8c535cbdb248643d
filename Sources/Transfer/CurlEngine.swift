import CCurl
import Dispatch
import Foundation
import Synchronization

/// The thread that owns a libcurl multi handle and runs every transfer of one fetcher.
///
/// Callers queue transfers under a mutex and wake the thread with
/// `curl_multi_wakeup` (documented as callable from any thread); everything else
/// touches the multi handle and the easy handles on this thread only. The caps
/// are enforced here, before a transfer reaches libcurl, so a queued transfer's
/// timeouts do not run while it waits for its turn.
final class CurlEngine: Sendable {
    private struct State {
        var pending: [HTTPTransfer] = []
        var cancelRequests: [HTTPTransfer] = []
        var stopping = false
    }

    private let state = Mutex(State())
    private let configuration: Fetcher.Configuration
    /// The CURLM handle. Written once here; used on the engine thread only, except
    /// by `curl_multi_wakeup`, which libcurl allows from any thread.
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    /// CURLOPT_RESOLVE entries shared by every easy handle; libcurl reads but does
    /// not copy the list, so it lives as long as the multi handle.
    private nonisolated(unsafe) let resolve: UnsafeMutablePointer<curl_slist>?
    private let finished = DispatchSemaphore(value: 0)

    init(configuration: Fetcher.Configuration) {
        _ = curlGlobalInit
        self.configuration = configuration
        multi = ccurl_multi_init()
        // Our own queue caps the transfers in flight (overall and per host). libcurl's per-host
        // cap stays as belt and braces; its total cap does not: it counts idle cached
        // connections too, so with more hosts than slots every new host evicted the idle
        // connection another host was about to reuse (no keep-alive at all, seen in tests).
        // The cache holds a few connections per slot so that round-robin over hosts reuses them.
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.perHost)
        _ = ccurl_multi_setopt_long(
            multi, CURLMOPT_MAXCONNECTS, max(64, configuration.concurrency * configuration.perHost * 2))
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, 2)  // CURLPIPE_MULTIPLEX
        resolve =
            configuration.resolve.isEmpty
            ? nil : makeSlist(configuration.resolve.map { "\($0.host):\($0.port):\($0.address)" })
        Thread.detachNewThread { [self] in
            run()
            finished.signal()
        }
    }

    /// Queues a transfer; it starts as soon as the caps allow.
    func submit(_ transfer: HTTPTransfer) {
        let accepted = state.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.pending.append(transfer)
            return true
        }
        if accepted {
            ccurl_multi_wakeup(multi)
        } else {
            transfer.resume(with: .failure(.cancelled(transfer.request.url)))
        }
    }

    /// Aborts a transfer, queued or running; it completes with `.cancelled`.
    func cancel(_ transfer: HTTPTransfer) {
        let queued = state.withLock { state -> Bool in
            if let index = state.pending.firstIndex(where: { $0 === transfer }) {
                state.pending.remove(at: index)
                return true
            }
            state.cancelRequests.append(transfer)
            return false
        }
        if queued {
            transfer.resume(with: .failure(.cancelled(transfer.request.url)))
        } else {
            ccurl_multi_wakeup(multi)
        }
    }

    /// Cancels everything, stops the thread and waits until every handle is freed.
    func shutdown() {
        let dropped = state.withLock { state -> [HTTPTransfer]? in
            guard !state.stopping else { return nil }
            state.stopping = true
            defer { state.pending = [] }
            return state.pending
        }
        guard let dropped else { return }
        for transfer in dropped { transfer.resume(with: .failure(.cancelled(transfer.request.url))) }
        ccurl_multi_wakeup(multi)
        finished.wait()
    }

    // MARK: The engine thread

    private func run() {
        var active: [UnsafeMutableRawPointer: HTTPTransfer] = [:]
        var perHost: [String: Int] = [:]
        let concurrency = configuration.concurrency
        let hostCap = configuration.perHost

        func finish(_ easy: UnsafeMutableRawPointer, _ result: (HTTPTransfer) -> Result<FetchResponse, TransferError>) {
            guard let transfer = active.removeValue(forKey: easy) else { return }
            perHost[transfer.hostKey, default: 1] -= 1
            if perHost[transfer.hostKey] == 0 { perHost[transfer.hostKey] = nil }
            let outcome = result(transfer)
            ccurl_multi_remove_handle(multi, easy)
            transfer.releaseHandle()
            transfer.resume(with: outcome)
        }

        while true {
            let (admitted, cancels, stopping) = state.withLock { state in
                var admitted: [HTTPTransfer] = []
                var index = 0
                while index < state.pending.count && active.count + admitted.count < concurrency {
                    let candidate = state.pending[index]
                    if perHost[candidate.hostKey, default: 0] < hostCap {
                        perHost[candidate.hostKey, default: 0] += 1
                        admitted.append(candidate)
                        state.pending.remove(at: index)
                    } else {
                        index += 1
                    }
                }
                let cancels = state.cancelRequests
                state.cancelRequests = []
                return (admitted, cancels, state.stopping)
            }

            for transfer in admitted {
                if let failure = transfer.makeHandle(resolve: resolve) {
                    perHost[transfer.hostKey, default: 1] -= 1
                    transfer.releaseHandle()
                    transfer.resume(with: .failure(failure))
                    continue
                }
                guard let easy = transfer.easy else { continue }
                active[easy] = transfer
                ccurl_multi_add_handle(multi, easy)
            }
            for transfer in cancels {
                if let easy = transfer.easy { finish(easy) { .failure(.cancelled($0.request.url)) } }
            }
            if stopping {
                for easy in Array(active.keys) { finish(easy) { .failure(.cancelled($0.request.url)) } }
                break
            }

            var running: Int32 = 0
            ccurl_multi_perform(multi, &running)
            var completed = 0
            var left: Int32 = 0
            while let message = ccurl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                finish(easy) { $0.outcome(code) }
                completed += 1
            }
            // A finished transfer frees a slot: admit the next ones before sleeping.
            if completed > 0 { continue }
            ccurl_multi_poll(multi, nil, 0, 1000, nil)
        }
        ccurl_multi_cleanup(multi)
        ccurl_slist_free_all(resolve)
    }
}
